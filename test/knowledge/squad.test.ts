import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readSquadFile } from '../../src/knowledge/squad.js';

const dir = mkdtempSync(path.join(tmpdir(), 'squad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
}

describe('readSquadFile', () => {
  it('reads each article as a Markdown article, a paragraph each, with its questions and answer spans', () => {
    const context = 'The bridge opened in 1932.\nIt carries four lanes.';
    const [squad] = readSquadFile(
      file(
        'ok.json',
        JSON.stringify({
          data: [
            {
              title: 'Harbour_Bridge',
              paragraphs: [
                {
                  context,
                  qas: [
                    {
                      question: ' When did  the bridge open? ',
                      answers: [{ answer_start: 21, text: '1932' }],
                    },
                  ],
                },
                { context: 'Ferries cross below it.', qas: [] },
              ],
            },
          ],
        }),
      ),
    );
    expect(squad?.title).toBe('Harbour Bridge');
    expect(squad?.article.file).toBe('knowledge/harbour_bridge.md');
    expect(squad?.article.sentences.map((s) => [s.text, s.paragraph])).toEqual([
      ['The bridge opened in 1932.', 0],
      ['It carries four lanes.', 0],
      ['Ferries cross below it.', 1],
    ]);
    expect(squad?.questions).toEqual([
      { question: 'When did the bridge open?', paragraph: context, spans: [[21, 4]] },
    ]);
  });

  it('names the file and the field that is not as the format has it', () => {
    const bad = file('bad.json', JSON.stringify({ data: [{ title: 'X', paragraphs: [{ qas: [] }] }] }));
    expect(() => readSquadFile(bad)).toThrow(UsageError);
    expect(() => readSquadFile(bad)).toThrow(
      /bad\.json: not a SQuAD-format file: data\.0\.paragraphs\.0\.context/,
    );
    expect(() => readSquadFile(file('broken.json', '{'))).toThrow(/broken\.json: cannot be read as JSON/);
  });
});
