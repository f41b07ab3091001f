import { describe, expect, it } from 'vitest';
import {
  audioMarker,
  base64Size,
  classifyDocument,
  decodeTextDocument,
  documentMarker,
  downloadLimit,
  formatDuration,
  imageMimeOf,
  photoMarker,
} from '../../src/domain/media.js';

const MB = 1024 * 1024;

describe('media rules', () => {
  it('caps downloads at 20 MB on the cloud Bot API only', () => {
    expect(downloadLimit('https://api.telegram.org', 50 * MB)).toBe(20 * MB);
    expect(downloadLimit('https://api.telegram.org/', 5 * MB)).toBe(5 * MB);
    expect(downloadLimit('http://127.0.0.1:8081', 2000 * MB)).toBe(2000 * MB);
    expect(downloadLimit('not a url', 30 * MB)).toBe(30 * MB);
  });

  it('formats durations and the markers media turns are remembered by', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(72.4)).toBe('1:12');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(audioMarker('voice', 12, 'hello')).toBe('[voice 0:12] hello');
    expect(audioMarker('video_note', 5, null)).toBe('[video note 0:05] (video note)');
    expect(audioMarker('audio', 61, 'lyrics', ' my song ')).toBe('[audio 1:01] my song\nlyrics');
    expect(photoMarker(undefined)).toBe('[photo] (no caption)');
    expect(documentMarker('a.pdf', 'sum it up')).toBe('[document a.pdf] sum it up');
    expect(base64Size(3)).toBe(4);
    expect(base64Size(4)).toBe(8);
  });

  it('classifies documents by mime type and extension', () => {
    expect(classifyDocument('report.PDF', 'application/octet-stream')).toBe('pdf');
    expect(classifyDocument(undefined, 'application/pdf')).toBe('pdf');
    expect(classifyDocument('notes.md', undefined)).toBe('text');
    expect(classifyDocument('main.rs', 'application/octet-stream')).toBe('text');
    expect(classifyDocument('data', 'application/json')).toBe('text');
    expect(classifyDocument('Dockerfile', undefined)).toBe('text');
    expect(classifyDocument('scan.jpeg', undefined)).toBe('image');
    expect(classifyDocument('x', 'image/webp')).toBe('image');
    expect(classifyDocument('archive.zip', 'application/zip')).toBeNull();
    expect(classifyDocument('song.mp3', 'audio/mpeg')).toBeNull();
    expect(imageMimeOf('a.png', undefined)).toBe('image/png');
    expect(imageMimeOf('a.webp', 'application/octet-stream')).toBe('image/webp');
    expect(imageMimeOf('a', 'IMAGE/JPEG')).toBe('image/jpeg');
  });

  it('decodes text documents as strict UTF-8, cut at the cap', () => {
    expect(decodeTextDocument(Buffer.from('Привет, мир'))).toEqual({ text: 'Привет, мир', truncated: false });
    expect(decodeTextDocument(Buffer.from([0xff, 0xfe, 0x41]))).toBeNull();
    expect(decodeTextDocument(Buffer.from('a\u0000b'))).toBeNull();
    expect(decodeTextDocument(Buffer.from('abcdef'), 4)).toEqual({ text: 'abcd', truncated: true });
  });
});
