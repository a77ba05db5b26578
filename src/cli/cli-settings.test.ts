// Unit tests for the client commands' settings: server URL checks and when colour is on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CliError } from './cli-error.js';
import { DEFAULT_SERVER, parseServerUrl, readCliSettings, serverUrlFrom } from './cli-settings.js';

describe('readCliSettings', () => {
  it('takes STEPFLOW_SERVER, else the default', () => {
    assert.equal(readCliSettings({ STEPFLOW_SERVER: 'http://ci:9000' }, '/w', false).server, 'http://ci:9000');
    assert.equal(readCliSettings({}, '/w', false).server, DEFAULT_SERVER);
  });

  it('colours only a TTY, and not a dumb one, even when CI is set', () => {
    assert.equal(readCliSettings({ CI: 'true' }, '/w', false).color, false);
    assert.equal(readCliSettings({}, '/w', true).color, true);
    assert.equal(readCliSettings({ TERM: 'dumb' }, '/w', true).color, false);
  });

  it('lets NO_COLOR win over FORCE_COLOR, and FORCE_COLOR turn colour on off a TTY', () => {
    assert.equal(readCliSettings({ NO_COLOR: '1', FORCE_COLOR: '1' }, '/w', true).color, false);
    assert.equal(readCliSettings({ FORCE_COLOR: '1' }, '/w', false).color, true);
    assert.equal(readCliSettings({ FORCE_COLOR: '0' }, '/w', false).color, false);
  });
});

describe('parseServerUrl', () => {
  it('drops trailing slashes and keeps a path prefix', () => {
    assert.equal(parseServerUrl('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080');
    assert.equal(parseServerUrl('https://ci.example.com/stepflow//'), 'https://ci.example.com/stepflow');
  });

  it('refuses what is not an http(s) URL, as a usage error naming its source', () => {
    for (const bad of ['localhost:8080', 'ftp://h', 'http://h/?q=1', 'not a url']) {
      assert.throws(
        () => parseServerUrl(bad, 'STEPFLOW_SERVER'),
        (err: unknown) => err instanceof CliError && err.exitCode === 2 && err.message.startsWith('STEPFLOW_SERVER: '),
      );
    }
  });
});

describe('serverUrlFrom', () => {
  it('prefers --server over the settings', () => {
    const settings = readCliSettings({ STEPFLOW_SERVER: 'http://env:1' }, '/w', false);
    assert.equal(serverUrlFrom('http://flag:2', settings), 'http://flag:2');
    assert.equal(serverUrlFrom(undefined, settings), 'http://env:1');
  });
});
