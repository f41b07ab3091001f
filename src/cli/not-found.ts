/**
 * What to say about a command that does not exist. Only says it: a typo must never run a
 * command (oclif's not-found plugin asked "Did you mean …?" with Yes as default, so
 * `botctl migrate dwn` + Enter rolled a migration back). Everything is in words, e.g.
 * ["migrate", "dwn"]: what was typed, the known commands and the topics.
 */
import { distance } from 'fastest-levenshtein';

export interface NotFoundReport {
  message: string;
  hint: string;
}

export interface KnownIds {
  commands: readonly (readonly string[])[];
  topics: readonly (readonly string[])[];
}

export function explainNotFound(bin: string, words: readonly string[], known: KnownIds): NotFoundReport {
  // oclif folds the extra words after a command that takes no arguments into the command id.
  const command = known.commands
    .filter((id) => id.length < words.length && id.every((word, i) => words[i] === word))
    .sort((a, b) => b.length - a.length)[0];
  if (command) {
    const extra = words.slice(command.length);
    return {
      message: `Unexpected argument${extra.length === 1 ? '' : 's'}: ${extra.join(', ')}`,
      hint: `see ${bin} ${command.join(' ')} --help`,
    };
  }
  const near = [...known.commands, ...known.topics]
    .map((id) => ({ id, distance: distance(words.slice(0, id.length).join(' '), id.join(' ')) }))
    // A topic typed right ("migrate" of "migrate dwn") is not the suggestion: its command is.
    .filter((s) => s.distance > 0 && s.distance <= typoBudget(words, s.id));
  const best = Math.min(...near.map((s) => s.distance));
  const tied = near.filter((s) => s.distance === best);
  // The most specific of equally close ones: "config set", not also the topic "config".
  const length = Math.max(0, ...tied.map((s) => s.id.length));
  const typed = words.slice(0, length || words.length).join(' ');
  const closest = [
    ...new Set(tied.filter((s) => s.id.length === length).map((s) => `"${bin} ${s.id.join(' ')}"`)),
  ]
    .sort()
    .slice(0, 3);
  const topic = known.topics.some((id) => id[0] === words[0]) ? ` ${words[0]}` : '';
  return {
    message:
      `"${typed}" is not a ${bin} command.` + (closest.length > 0 ? ` Did you mean ${orList(closest)}?` : ''),
    hint: `run \`${bin} help${topic}\` for the list of commands`,
  };
}

/** About a third of the words that differ ("dwn" of "migrate dwn"), at least 2: a typo, not another word. */
function typoBudget(words: readonly string[], id: readonly string[]): number {
  let same = 0;
  while (same < id.length && words[same] === id[same]) same += 1;
  const differing = words.slice(same, id.length).join(' ');
  return Math.max(2, Math.floor(differing.length / 3));
}

function orList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
