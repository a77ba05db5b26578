// Benchmark: marker parse throughput with every dialect on, beside StepFlow's own parser alone, over the same realistic output in the same run.
import { createMarkerScanner } from '../src/markers/create-marker-scanner.js';
import { MARKER_DIALECTS } from '../src/markers/marker-dialect.js';
import { parseStepflowMarker } from '../src/markers/parse-stepflow-marker.js';
import { scanMarkerLine } from '../src/markers/scan-marker-line.js';
import { printTable } from './lib/stats.js';

/** Medians of the rounds, lines per second, and the ratio the target is about, for one mix of lines. */
export interface MarkerDialectsResult {
  mix: string;
  lines: number;
  rounds: number;
  stepflowOnlyLinesPerSecond: number;
  allDialectsLinesPerSecond: number;
  /** all dialects / StepFlow only; the target is at least 0.9. */
  ratio: number;
  /** The median of each round's own ratio (the two parsers timed back to back), which a load change between rounds moves less. */
  pairedRatio: number;
}

// Plain output as builds print it: paths, timings, colours, and lines that start with `:`, `#`, `-`, `+`, `s`, `o` like markers do.
const PLAIN = [
  'src/components/header.tsx(12,5): error TS2322: Type string is not assignable',
  '  ✓ parses empty input (3 ms)',
  '\x1b[32m✔\x1b[39m compiled 142 modules in 812 ms',
  '- Installing dependencies... done',
  '# comment from a shell script',
  'Downloading https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
  '+ make -j4 all',
  'okay, retrying in 5 s',
  '    at Object.<anonymous> (/app/src/index.js:10:15)',
  'WARNING: deprecated option --foo, use --bar',
  'Progress: 40% (12/30)',
  'line 7: building module 3 of 97 at 1.37 ms',
  '',
];

// One marker of every dialect, in turn.
const MARKERS = [
  'STEP_START:Build',
  '::group::Compile',
  '::endgroup::',
  '##[group]Restore',
  '##[endgroup]',
  "##teamcity[progressMessage 'Compiling']",
  '--- :package: Bundling',
  'section_start:1700000000:deps\r\x1b[0KDeps',
  'ok 12 - handles unicode',
  'META:version:1.2.3',
];

/** `count` lines, one marker every `markerEvery` lines and plain output between (each line made distinct by a number). */
function buildCorpus(count: number, markerEvery: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const marker = i % markerEvery === 0;
    const shape = marker
      ? (MARKERS[(i / markerEvery) % MARKERS.length] as string)
      : (PLAIN[i % PLAIN.length] as string);
    lines.push(marker ? shape : `${shape} ${i}`);
  }
  return lines;
}

/**
 * Lines parsed per second of this process's CPU time (user + system), not wall time: on a shared machine the
 * time other processes take the core is not the parser's, and wall time would charge it to whichever parser ran then.
 */
function linesPerSecond(lines: readonly string[], parse: (line: string) => unknown): number {
  let sink = 0;
  const started = process.cpuUsage();
  for (const line of lines) if (parse(line) !== null) sink++;
  const used = process.cpuUsage(started);
  const seconds = (used.user + used.system) / 1_000_000;
  if (sink < 0) console.log(sink);
  return lines.length / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs both parsers over the same corpus in alternating rounds (after a warm-up); medians and their ratio. */
function measureMix(mix: string, lines: readonly string[], rounds: number): MarkerDialectsResult {
  const stepflow: number[] = [];
  const all: number[] = [];
  const runStepflow = (): number => linesPerSecond(lines, (line) => parseStepflowMarker(line, 'line_start'));
  const runAll = (): number => {
    const scanner = createMarkerScanner(MARKER_DIALECTS, 'line_start');
    return linesPerSecond(lines, (line) => scanMarkerLine(scanner, line, 'stdout'));
  };
  runStepflow();
  runAll();
  for (let round = 0; round < rounds; round++) {
    // Which parser goes first alternates, so neither always runs on a warmer (or busier) machine.
    if (round % 2 === 0) {
      stepflow.push(runStepflow());
      all.push(runAll());
    } else {
      all.push(runAll());
      stepflow.push(runStepflow());
    }
  }
  return {
    mix,
    lines: lines.length,
    rounds,
    stepflowOnlyLinesPerSecond: median(stepflow),
    allDialectsLinesPerSecond: median(all),
    ratio: median(all) / median(stepflow),
    pairedRatio: median(all.map((perSecond, round) => perSecond / (stepflow[round] as number))),
  };
}

/** Measures a typical mix (one marker in 100 lines) and a marker-heavy one (one in 5), prints both; the target is the typical one. */
export function benchMarkerDialects(count = 500_000, rounds = 9): MarkerDialectsResult[] {
  const results = [
    measureMix('typical: 1 marker per 100 lines', buildCorpus(count, 100), rounds),
    measureMix('marker-heavy: 1 marker per 5 lines', buildCorpus(count, 5), rounds),
  ];
  printTable(
    'Marker parse throughput (median of rounds, per CPU second; StepFlow only = parseStepflowMarker, all = scanMarkerLine with all 7 dialects)',
    results.map((result) => ({
      mix: result.mix,
      'StepFlow only lines/s': Math.round(result.stepflowOnlyLinesPerSecond),
      'all dialects lines/s': Math.round(result.allDialectsLinesPerSecond),
      'ratio (target >= 0.90 on typical)': result.ratio.toFixed(3),
      'paired ratio': result.pairedRatio.toFixed(3),
    })),
  );
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) benchMarkerDialects();
