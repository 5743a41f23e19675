import { describe, expect, it } from 'vitest';
import {
  decodeWav,
  EnergyTurnDetector,
  encodeWav,
  SentenceSplitter,
  sineTone,
} from '../../src/audio/index.js';

const bytes = (samples: Int16Array): Uint8Array => new Uint8Array(samples.buffer.slice(0));

describe('SentenceSplitter', () => {
  it('splits streamed text at sentence ends, joins short ones, keeps decimals', () => {
    const splitter = new SentenceSplitter({ minLength: 12 });
    const out: string[] = [];
    for (const piece of ['It costs 3.', '5 euros. Ok. ', 'That is all you need!', ' Bye.'])
      out.push(...splitter.push(piece));
    expect(out).toEqual(['It costs 3.5 euros.', 'Ok. That is all you need!']);
    expect(splitter.flush()).toBe('Bye.');
    expect(splitter.flush()).toBeUndefined();
  });

  it('splits at newlines and CJK full stops', () => {
    const splitter = new SentenceSplitter({ minLength: 1 });
    expect(splitter.push('第一句。第二句！\nNext line\n')).toEqual(['第一句。', '第二句！', 'Next line']);
  });
});

describe('EnergyTurnDetector', () => {
  it('finds one utterance between silences, in chunks split anywhere (odd byte counts)', () => {
    const detector = new EnergyTurnDetector({ sampleRate: 16_000, silenceMs: 300 });
    const audio = new Int16Array([...new Int16Array(3200), ...sineTone(300, 500), ...new Int16Array(8000)]);
    const all = bytes(audio);
    const events = [];
    for (let i = 0; i < all.length; i += 333) events.push(...detector.push(all.subarray(i, i + 333)));
    events.push(...detector.flush());
    expect(events.map((e) => e.type)).toEqual(['speech_start', 'speech_end']);
    const end = events[1];
    if (end?.type !== 'speech_end') throw new Error('no end');
    // 500 ms of tone plus the 300 ms of quiet that ended it.
    expect(end.samples.length).toBe(16 * 800);
  });

  it('ignores short clicks and quiet noise; an explicit boundary ends an utterance at once', () => {
    const detector = new EnergyTurnDetector({ sampleRate: 16_000, minSpeechMs: 100 });
    expect(detector.push(bytes(sineTone(300, 40)))).toEqual([]);
    expect(detector.push(bytes(sineTone(300, 500, 0.005)))).toEqual([]);
    expect(detector.push(bytes(sineTone(300, 200))).map((e) => e.type)).toEqual(['speech_start']);
    expect(detector.flush().map((e) => e.type)).toEqual(['speech_end']);
  });
});

describe('WAV', () => {
  it('round-trips PCM16 through encodeWav/decodeWav', () => {
    const samples = sineTone(440, 50, 0.3, 8000);
    const decoded = decodeWav(encodeWav(samples, 8000));
    expect(decoded.sampleRate).toBe(8000);
    expect(decoded.channels).toBe(1);
    expect([...decoded.samples]).toEqual([...samples]);
    expect(() => decodeWav(new Uint8Array(10))).toThrow(/Not a 16-bit PCM WAV/);
  });
});
