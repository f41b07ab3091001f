// A reader that stops early (`botctl users list | head -1`) closes the pipe: writes to stdout
// then fail with EPIPE. Unhandled, that is an error event, and oclif's final flush waits for a
// 'drain' that never comes (Node: "Detected unsettled top-level await", exit 13). Nobody reads
// any more, so writes to a broken pipe become no-ops that report "flushed", and the command
// finishes its work with its own exit code, quietly. Any other stream error stays fatal.
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  let closed = false;
  stream.write = (...args) => (closed || stream.destroyed ? true : write(...args));
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
    // Anyone already waiting for the pipe to drain (oclif's flush) waits no longer.
    stream.emit('drain');
  });
}
