// Keeps the docs honest: every error code, setting and route is documented, and every CLI (docs and --help) and curl example parses.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { CommanderError, type Command } from 'commander';
import { readCliSettings } from '../../src/cli/cli-settings.js';
import { createProgram } from '../../src/cli/create-program.js';
import { CONFIG_SETTINGS } from '../../src/config/config-settings.js';
import { STATUS_BY_CODE } from '../../src/http/errors.js';
import { ROUTE_ACCESS } from '../../src/http/route-access.js';
import { fillPlaceholders, findExamples, readDocs, ROOT, shellWords, type DocExample } from './doc-examples.js';
import { startServer, type TestServer } from './harness.js';

const docs = readDocs();
const docText = (path: string): string =>
  docs.find((doc) => doc.path === path)?.text ?? assert.fail(`${path} is missing`);
const allDocs = docs.map((doc) => doc.text).join('\n');
const examples = (startsWith: RegExp): DocExample[] => docs.flatMap((doc) => findExamples(doc, startsWith));

/** `GET /api/executions/:id` as the docs write it: `GET /api/executions/{id}`. */
const documentedRoute = (route: string): string => route.replace(/:(\w+)/g, '{$1}');

describe('the reference documents', () => {
  it('lists every error code in the api.md status table, in the row of its HTTP status', () => {
    const rows = docText('docs/api.md')
      .split('\n')
      .filter((line) => /^\| \d{3} \|/.test(line));
    const missing = Object.entries(STATUS_BY_CODE).filter(
      ([code, status]) => !rows.some((row) => row.startsWith(`| ${status} |`) && row.includes(`\`${code}\``)),
    );
    assert.deepEqual(missing, [], 'codes missing from their status row');
  });

  it('lists every setting in configuration.md with its flag, env var and file key', () => {
    const rows = docText('docs/configuration.md')
      .split('\n')
      .filter((line) => line.startsWith('| `--'))
      .map((row) => row.replace(/\\\|/g, '|'));
    const missing = CONFIG_SETTINGS.filter(
      (s) =>
        !rows.some(
          (row) =>
            row.includes(`\`${`${s.flag} ${s.valueName}`.trim()}`) &&
            row.includes(`\`${s.env}\``) &&
            row.includes(`\`${s.key}\``),
        ),
    );
    assert.deepEqual(
      missing.map((s) => s.env),
      [],
    );
  });

  it('documents every route the server registers, method and path', () => {
    const missing = Object.keys(ROUTE_ACCESS)
      .map(documentedRoute)
      .filter((route) => !new RegExp(`${escape(route)}(?![\\w/{])`).test(allDocs));
    assert.deepEqual(missing, []);
  });

  it('has an architecture index whose every file exists', () => {
    const architecture = docText('docs/ARCHITECTURE.md');
    const index = architecture.slice(architecture.indexOf('## Where does it happen'));
    assert.ok(index.length > 0 && architecture.includes('## Where does it happen'), 'ARCHITECTURE.md has the index');
    for (const topic of [
      'marker parsing',
      'stop_on_error',
      'slow WebSocket client',
      'role check',
      'retention',
      'masking',
      'recovery',
      'artifacts',
    ]) {
      assert.match(index, new RegExp(topic, 'i'), `the index covers ${topic}`);
    }
    const paths = [...index.matchAll(/`((?:src|web|test|bench|scripts)\/[^`\s]+)`/g)].map((match) => match[1]!);
    assert.ok(paths.length >= 8);
    assert.deepEqual(
      paths.filter((path) => !existsSync(join(ROOT, path))),
      [],
      'index entries that do not exist',
    );
  });

  it('links and points to nothing outside the repository', () => {
    const outside = docs.flatMap((doc) => [
      ...[...doc.text.matchAll(/\]\(([^)#\s]+)/g)]
        .filter(
          (match) => !/^[a-z]+:/.test(match[1]!) && !resolve(ROOT, dirname(doc.path), match[1]!).startsWith(`${ROOT}/`),
        )
        .map((match) => `${doc.path}: ${match[0]}`),
      ...[...doc.text.matchAll(/\.\.\/shared\/\S*/g)].map((match) => `${doc.path}: ${match[0]}`),
    ]);
    assert.deepEqual(outside, []);
  });
});

describe('the CLI examples in the docs', () => {
  // Fenced lines and `npx stepflow <command> …` spans are examples; a bare `stepflow run` in prose names a command,
  // and a span with options or placeholders (`stepflow logs <id> [options]`) is a synopsis, checked like an example.
  const cli = examples(/^([A-Z_]+=\S+ )*(npx )?stepflow( |$)/).filter(
    (example) =>
      !example.inline || /^([A-Z_]+=\S+ )*npx stepflow \S/.test(example.command) || /\s(-|<|\[)/.test(example.command),
  );

  it('finds the examples', () => {
    assert.ok(cli.length >= 20, `found ${cli.length}`);
  });

  it('parse against the commander definitions of `stepflow`', () => {
    const refused = cli.flatMap((example) => {
      const words = shellWords(fillPlaceholders(example.command));
      const args = words[0] === 'npx' ? words.slice(2) : words.slice(1);
      const problem = parseWithoutRunning(args);
      return problem === null ? [] : [`${example.where}: ${example.command} -> ${problem}`];
    });
    assert.deepEqual(refused, []);
  });
});

describe("the examples in each command's --help", () => {
  it('parse against the same commander definitions', () => {
    const program = createProgram(readCliSettings({}, ROOT, false));
    const commands: Command[] = [];
    const collect = (command: Command): void => {
      commands.push(command);
      command.commands.forEach(collect);
    };
    collect(program);
    const lines = commands.flatMap((command) => helpOf(command).split('\nExamples:\n')[1]?.trimEnd().split('\n') ?? []);
    assert.ok(lines.length >= 20, `found ${lines.length}`);
    const refused = lines.flatMap((line) => {
      const problem = parseWithoutRunning(shellWords(fillPlaceholders(line.trim())).slice(1));
      return problem === null ? [] : [`${line.trim()} -> ${problem}`];
    });
    assert.deepEqual(refused, []);
  });
});

describe('the curl examples in the docs', () => {
  let server: TestServer;
  let openapi: {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: object }> } }>>;
  };
  before(async () => {
    server = await startServer();
    openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as typeof openapi;
  });
  after(() => server.close());
  const curls = examples(/^curl /);

  it('name a registered route and send a body its schema accepts', () => {
    assert.ok(curls.length >= 3, `found ${curls.length}`);
    const ajv = new Ajv({ strict: false, allErrors: true });
    const problems = curls.flatMap((example) => {
      const request = readCurl(shellWords(example.command));
      const route = Object.keys(ROUTE_ACCESS).find((key) => routeMatches(key, request.method, request.path));
      if (route === undefined) return [`${example.where}: no route ${request.method} ${request.path}`];
      if (request.json === undefined) return [];
      const schema =
        openapi.paths[documentedRoute(route.slice(route.indexOf(' ') + 1))]?.[request.method.toLowerCase()]?.requestBody
          ?.content?.['application/json']?.schema;
      if (schema === undefined) return [`${example.where}: ${route} takes no JSON body`];
      let body: unknown;
      try {
        body = JSON.parse(request.json);
      } catch {
        return [`${example.where}: the body is not JSON`];
      }
      const validate = ajv.compile(schema);
      return validate(body) ? [] : [`${example.where}: ${ajv.errorsText(validate.errors)}`];
    });
    assert.deepEqual(problems, []);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function routeMatches(route: string, method: string, path: string): boolean {
  const [routeMethod, pattern] = route.split(' ') as [string, string];
  const wanted = method === 'HEAD' ? 'GET' : method;
  return (
    routeMethod === wanted &&
    new RegExp(
      `^${pattern
        .split('/')
        .map((part) => (part.startsWith(':') ? '[^/]+' : escape(part)))
        .join('/')}$`,
    ).test(path)
  );
}

/** Method, path and JSON body of a curl command line, as curl itself would send them. */
function readCurl(words: string[]): { method: string; path: string; json: string | undefined } {
  let method: string | undefined;
  let url = '';
  let json: string | undefined;
  let form = false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-X' || word === '--request') method = words[++i];
    else if (['-d', '--data', '--data-raw', '--data-binary', '--json'].includes(word)) json = words[++i];
    else if (word === '-F' || word === '--form') {
      form = true;
      i++;
    } else if (['-H', '--header', '-o', '--output', '-u', '--user', '-w', '--max-time'].includes(word)) i++;
    else if (word === '-I' || word === '--head') method = 'HEAD';
    else if (!word.startsWith('-')) url = word;
  }
  const path = new URL(url.replace(/^\$\w+|^\$\{\w+\}/, 'http://127.0.0.1:8080')).pathname;
  return { method: method ?? (json !== undefined || form ? 'POST' : 'GET'), path, json };
}

/** The help text `command` prints for `--help`, Examples section included. */
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

/** Parses `args` as `stepflow args` would, with every action replaced by nothing; the problem, or null. */
function parseWithoutRunning(args: string[]): string | null {
  const program = createProgram(readCliSettings({}, ROOT, false));
  const silence = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    if (command.commands.length === 0) command.action(() => {});
    command.commands.forEach(silence);
  };
  silence(program);
  try {
    program.parse(args, { from: 'user' });
    return null;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? null : err.message;
    throw err;
  }
}
