// Tests contentDisposition: ASCII fallback and RFC 8187 encoding of any file name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentDisposition } from './content-disposition.js';

describe('contentDisposition', () => {
  it('keeps a plain name as is', () => {
    assert.equal(contentDisposition('report.txt'), `attachment; filename="report.txt"; filename*=UTF-8''report.txt`);
  });

  it('neutralises quotes, backslashes, CR/LF and non-ASCII in the fallback and encodes them exactly', () => {
    const header = contentDisposition('a"b\\c\r\nd é(1)*.txt');
    assert.equal(
      header,
      `attachment; filename="a_b_c__d _(1)*.txt"; filename*=UTF-8''a%22b%5Cc%0D%0Ad%20%C3%A9%281%29%2A.txt`,
    );
    assert.doesNotMatch(header, /[\r\n]/);
  });

  it('survives a lone surrogate and an empty name', () => {
    assert.match(contentDisposition('x\uD800.txt'), /filename\*=UTF-8''x%EF%BF%BD\.txt$/);
    assert.match(contentDisposition(''), /filename="artifact"/);
  });
});
