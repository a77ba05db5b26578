// Owns part of the settings table: limits, retention and agents.
import type { ConfigSetting } from './config-settings.js';
import { integerIn, listOf, parseNamePattern, parseSwitch, secondsIn } from './parse-setting-values.js';

/** Limits, retention and agents. */
export const LIMIT_SETTINGS: readonly ConfigSetting[] = [
  {
    key: 'maxQueued',
    env: 'STEPFLOW_MAX_QUEUED',
    flag: '--max-queued',
    valueName: '<n>',
    defaultText: '10000',
    description: 'most pending executions; creating more answers 503 queue_full (1-10000000)',
    parse: integerIn(1, 10_000_000),
  },
  {
    key: 'secretNamePatterns',
    env: 'STEPFLOW_SECRET_NAME_PATTERNS',
    flag: '--secret-names',
    valueName: '<patterns>',
    defaultText: '*TOKEN*,*SECRET*,*PASSWORD*,*_KEY',
    description:
      'comma-separated name patterns (* any text, case-insensitive) of environment variables whose values are masked in logs',
    parse: listOf(parseNamePattern),
  },
  {
    key: 'maxProcesses',
    env: 'STEPFLOW_MAX_PROCESSES',
    flag: '--max-processes',
    valueName: '<n>',
    defaultText: '512',
    description: 'most processes one execution may have at once (0 turns the cap off)',
    parse: integerIn(0, 4_194_304),
  },
  {
    key: 'retentionDays',
    env: 'STEPFLOW_RETENTION_DAYS',
    flag: '--retention-days',
    valueName: '<days>',
    defaultText: '0 (off)',
    description: 'delete finished executions older than this many days (0-36500)',
    parse: integerIn(0, 36_500),
  },
  {
    key: 'retentionMaxExecutions',
    env: 'STEPFLOW_RETENTION_MAX_EXECUTIONS',
    flag: '--retention-max-executions',
    valueName: '<n>',
    defaultText: '0 (off)',
    description: 'keep at most this many executions, deleting the oldest finished ones (0-1000000000)',
    parse: integerIn(0, 1_000_000_000),
  },
  {
    key: 'localExecutor',
    env: 'STEPFLOW_LOCAL_EXECUTOR',
    flag: '--local-executor',
    valueName: '<true|false>',
    defaultText: 'true',
    description: 'run executions on this server; false makes it a coordinator that only agents run work for',
    parse: parseSwitch,
  },
  {
    key: 'agentLostSeconds',
    env: 'STEPFLOW_AGENT_LOST_SECONDS',
    flag: '--agent-lost-seconds',
    valueName: '<seconds>',
    defaultText: '60',
    description: 'an agent not heard from for this long is lost and its executions fail (0.5-86400)',
    parse: secondsIn(0.5, 86_400),
  },
];
