// Tests the inference of mime type and artifact_type from file names and leading bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferArtifactType, looksLikeText, sniffMagic } from './infer-artifact-type.js';

const text = (value: string) => new TextEncoder().encode(value);
const bytes = (...values: number[]) => Uint8Array.from(values);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0);
const ZIP = bytes(0x50, 0x4b, 0x03, 0x04, 0);

describe('inferArtifactType', () => {
  it('maps common extensions to their mime type and kind', () => {
    const cases: Array<[string, Uint8Array, string, string]> = [
      ['report.txt', text('hi'), 'text/plain', 'document'],
      ['notes.md', text('# hi'), 'text/markdown', 'document'],
      ['results.json', text('{}'), 'application/json', 'data'],
      ['table.csv', text('a,b'), 'text/csv', 'data'],
      ['build.log', text('ok'), 'text/plain', 'log'],
      ['app.log.1', text('ok'), 'text/plain', 'log'],
      ['events.jsonl', text('{}'), 'application/x-ndjson', 'data'],
      ['icon.svg', text('<svg/>'), 'image/svg+xml', 'image'],
      ['bundle.tar.gz', bytes(0x1f, 0x8b, 8), 'application/gzip', 'archive'],
      ['main.ts', text('export {}'), 'text/plain', 'document'],
    ];
    for (const [name, head, mime, type] of cases)
      assert.deepEqual(inferArtifactType(name, head), { mime_type: mime, artifact_type: type }, name);
  });

  it('believes the magic bytes over a wrong or missing extension', () => {
    assert.deepEqual(inferArtifactType('screenshot', PNG), { mime_type: 'image/png', artifact_type: 'image' });
    assert.deepEqual(inferArtifactType('photo.png', bytes(0xff, 0xd8, 0xff, 0xe0)), {
      mime_type: 'image/jpeg',
      artifact_type: 'image',
    });
    assert.deepEqual(inferArtifactType('report.txt', text('%PDF-1.7')), {
      mime_type: 'application/pdf',
      artifact_type: 'document',
    });
    assert.deepEqual(inferArtifactType('data.bin', ZIP), { mime_type: 'application/zip', artifact_type: 'archive' });
  });

  it('keeps the specific type of zip containers such as docx', () => {
    const docx = inferArtifactType('letter.docx', ZIP);
    assert.equal(docx.mime_type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(docx.artifact_type, 'document');
  });

  it('tells text from binary when the name says nothing', () => {
    assert.deepEqual(inferArtifactType('README', text('hello\n')), {
      mime_type: 'text/plain',
      artifact_type: 'document',
    });
    assert.deepEqual(inferArtifactType('blob', bytes(1, 0, 2)), {
      mime_type: 'application/octet-stream',
      artifact_type: 'other',
    });
    assert.deepEqual(inferArtifactType('fake.txt', bytes(0xff, 0xfe, 0)), {
      mime_type: 'application/octet-stream',
      artifact_type: 'other',
    });
  });
});

describe('sniffMagic', () => {
  it('recognises png, jpeg, gif, pdf, gzip and zip, and nothing else', () => {
    assert.equal(sniffMagic(PNG), 'image/png');
    assert.equal(sniffMagic(text('GIF89a')), 'image/gif');
    assert.equal(sniffMagic(text('%PDF-')), 'application/pdf');
    assert.equal(sniffMagic(bytes(0x1f, 0x8b)), 'application/gzip');
    assert.equal(sniffMagic(ZIP), 'application/zip');
    assert.equal(sniffMagic(text('plain')), null);
    assert.equal(sniffMagic(bytes()), null);
  });
});

describe('looksLikeText', () => {
  it('accepts UTF-8 cut in the middle of a character, refuses NUL and invalid UTF-8', () => {
    assert.equal(looksLikeText(text('héllo').subarray(0, 2)), true);
    assert.equal(looksLikeText(bytes(0x61, 0)), false);
    assert.equal(looksLikeText(bytes(0xc3, 0x28)), false);
  });
});
