import { describe, expect, it } from 'vitest';
import { embeddedText, headingPath, lexicalText, lexicalTextAt, passageContext } from '../../src/corpus/retrieval-context.ts';

describe('retrieval context (what retrieval sees besides the quoted lines)', () => {
  const passage = { text: 'Call it within three seconds.', headings: ['Slash commands', 'Deferred responses'] };

  it('puts the title in front of the heading path unless the path already starts with it', () => {
    expect(headingPath('Guide', ['Slash commands'])).toEqual(['Guide', 'Slash commands']);
    expect(headingPath('Slash commands', ['Slash commands', 'Deferred responses'])).toEqual(['Slash commands', 'Deferred responses']);
    expect(headingPath('', ['A'])).toEqual(['A']);
    expect(headingPath('Story', [])).toEqual(['Story']);
  });

  it('`none` is the passage alone; `headings` prefixes title › path; the quoted text always ends it unchanged', () => {
    expect(lexicalText(passage, 'Guide', undefined, 'none')).toBe(passage.text);
    expect(lexicalText(passage, 'Guide', undefined, 'headings')).toBe(`Guide › Slash commands › Deferred responses\n${passage.text}`);
    expect(lexicalText(passage, 'Guide', undefined, 'headings+previous').endsWith(passage.text)).toBe(true);
  });

  it('`headings+previous` adds the end of the previous passage only when it lies in the same section', () => {
    const previous = { text: 'NATO plans a training mission after 2014.', headings: passage.headings };
    expect(passageContext(passage, 'Guide', previous, 'headings+previous')).toBe(
      'Guide › Slash commands › Deferred responses\nNATO plans a training mission after 2014.',
    );
    const otherSection = { text: 'Unrelated.', headings: ['Slash commands'] };
    expect(passageContext(passage, 'Guide', otherSection, 'headings+previous')).toBe('Guide › Slash commands › Deferred responses');
  });

  it('gives a long, self-contained passage no previous context', () => {
    const long = { text: `${'The mission trains Iraqi forces in many places across the country. '.repeat(3)}`, headings: passage.headings };
    const previous = { text: 'NATO plans a training mission after 2014.', headings: passage.headings };
    expect(passageContext(long, 'Guide', previous, 'headings+previous')).toBe('Guide › Slash commands › Deferred responses');
  });

  it('cuts a long previous passage to its end at a word boundary', () => {
    const previous = { text: `${'word '.repeat(200)}It is the training mission.`, headings: passage.headings };
    const context = passageContext(passage, '', previous, 'headings+previous');
    expect(context.endsWith('It is the training mission.')).toBe(true);
    expect(context.length).toBeLessThan(400);
    expect(context.split('\n')[1]?.startsWith('word')).toBe(true);
  });

  it('embeds a short passage with title › path only: the previous passage is lexical context alone', () => {
    const previous = { text: 'NATO plans a training mission after 2014.', headings: passage.headings };
    expect(lexicalText(passage, 'Guide', previous, 'headings+previous')).toContain('NATO plans');
    expect(embeddedText(passage, 'Guide', 'headings+previous')).toBe(`Guide › Slash commands › Deferred responses\n${passage.text}`);
    expect(embeddedText(passage, 'Guide', 'none')).toBe(passage.text);
  });

  it('reads the previous passage by label only within the same file', () => {
    const lender = { file: 'a.md', text: 'NATO plans a training mission after 2014.', headings: passage.headings };
    const short = { file: 'a.md', ...passage };
    expect(lexicalTextAt([lender, short], 1, 'Guide', 'headings+previous')).toBe(lexicalText(short, 'Guide', lender, 'headings+previous'));
    expect(lexicalTextAt([{ ...lender, file: 'b.md' }, short], 1, 'Guide', 'headings+previous')).toBe(lexicalText(short, 'Guide', undefined, 'headings+previous'));
    expect(lexicalTextAt([short], 0, 'Guide', 'headings+previous')).toBe(lexicalText(short, 'Guide', undefined, 'headings+previous'));
  });
});
