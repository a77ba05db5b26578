// Unit tests for the `run` argument mapping: command words, env pairs, timeout and the body sent to the server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from './cli-error.js';
import { buildCreateBody, parseEnvPairs, parseMarkersFlag, parseTimeout, toCommand } from './build-create-body.js';

function usage(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof CliError && err.exitCode === 2 && message.test(err.message));
}

describe('toCommand', () => {
  it('sends several words as an argv array, untouched', () => {
    assert.deepEqual(toCommand(['./build.sh', '--flag', 'a b', '$HOME']), ['./build.sh', '--flag', 'a b', '$HOME']);
  });

  it('sends one word with spaces as a shell string', () => {
    assert.equal(toCommand(['make test && echo done']), 'make test && echo done');
  });

  it('sends one word without spaces as a one-element argv', () => {
    assert.deepEqual(toCommand(['./steps-basic.sh']), ['./steps-basic.sh']);
  });

  it('refuses no command and an empty first word as usage errors', () => {
    usage(() => toCommand([]), /needs a command/);
    usage(() => toCommand(['']), /needs a command/);
  });
});

describe('parseEnvPairs', () => {
  it('splits at the first "=" and keeps empty values', () => {
    assert.deepEqual(parseEnvPairs(['A=1', 'URL=a=b=c', 'EMPTY=']), { A: '1', URL: 'a=b=c', EMPTY: '' });
  });

  it('lets a later pair win', () => {
    assert.deepEqual(parseEnvPairs(['A=1', 'A=2']), { A: '2' });
  });

  it('refuses a pair without "=" and names it', () => {
    usage(() => parseEnvPairs(['JUSTKEY']), /--env: "JUSTKEY" must be KEY=VALUE/);
  });

  it('refuses invalid variable names', () => {
    usage(() => parseEnvPairs(['1A=x']), /"1A" is not a valid variable name/);
    usage(() => parseEnvPairs(['=x']), /"" is not a valid variable name/);
    usage(() => parseEnvPairs(['A-B=x']), /"A-B"/);
  });
});

describe('parseTimeout', () => {
  it('accepts whole and fractional seconds', () => {
    assert.equal(parseTimeout('90'), 90);
    assert.equal(parseTimeout('0.5'), 0.5);
  });

  it('refuses zero, negatives, units and values above a year', () => {
    for (const bad of ['0', '-1', '10s', '', 'abc', '31536001']) usage(() => parseTimeout(bad), /--timeout/);
  });
});

describe('buildCreateBody', () => {
  it('sends the CLI directory as working_directory by default and only the flags given', () => {
    assert.deepEqual(buildCreateBody(['./x.sh'], { env: [], tag: [] }, '/home/me/project'), {
      command: ['./x.sh'],
      working_directory: '/home/me/project',
    });
  });

  it('resolves a relative --cwd against the CLI directory and keeps an absolute one', () => {
    assert.equal(buildCreateBody(['x'], { cwd: '../other' }, '/home/me/project').working_directory, '/home/me/other');
    assert.equal(buildCreateBody(['x'], { cwd: '/srv/app' }, '/home/me/project').working_directory, '/srv/app');
  });

  it('maps every flag to its body field', () => {
    const body = buildCreateBody(
      ['make', 'all'],
      { name: 'nightly', env: ['A=1'], tag: ['ci', 'ci', 'nightly'], timeout: '60' },
      '/w',
    );
    assert.deepEqual(body, {
      command: ['make', 'all'],
      working_directory: '/w',
      name: 'nightly',
      environment: { A: '1' },
      tags: ['ci', 'nightly'],
      timeout: 60,
    });
  });

  it('refuses an empty name and an empty tag', () => {
    usage(() => buildCreateBody(['x'], { name: '  ' }, '/w'), /--name/);
    usage(() => buildCreateBody(['x'], { tag: [''] }, '/w'), /--tag/);
  });
});

describe('buildCreateBody --runs-on', () => {
  it('sends the labels, and no working directory of this machine unless --cwd names one', () => {
    assert.deepEqual(buildCreateBody(['./build.sh'], { runsOn: ['linux,gpu', 'gpu'] }, '/home/me'), {
      command: ['./build.sh'],
      runs_on: ['linux', 'gpu'],
    });
    assert.deepEqual(buildCreateBody(['./build.sh'], { runsOn: ['arm'], cwd: '/srv/src' }, '/home/me'), {
      command: ['./build.sh'],
      working_directory: '/srv/src',
      runs_on: ['arm'],
    });
  });

  it('refuses a label the server would refuse', () => {
    assert.throws(() => buildCreateBody(['x'], { runsOn: ['gp u'] }, '/'), /--runs-on: "gp u" is not a label/);
  });
});

describe('parseMarkersFlag', () => {
  it('reads comma-separated dialects, lower-cased, without duplicates', () => {
    assert.deepEqual(parseMarkersFlag('stepflow, GitHub,tap,github'), ['stepflow', 'github', 'tap']);
  });

  it('refuses an unknown dialect and an empty list as usage errors naming the flag', () => {
    assert.throws(() => parseMarkersFlag('github,jenkins'), /--markers: "jenkins" is not a marker dialect/);
    assert.throws(() => parseMarkersFlag(' , '), /--markers needs at least one dialect/);
  });
});
