/**
 * The fuzzing core shared by `npm run fuzz` (scripts/fuzz.mjs, one worker thread per target) and the
 * vitest replay of fixtures/fuzz-regressions (test/fuzz/regressions.test.ts).
 *
 * Every target reads one byte string: that keeps a counterexample a plain hex file and lets a
 * coverage-guided engine drive the same `run` later. A target's `arbitrary` is where the structure
 * lives (valid encodings, mutated; random bytes; selector bytes that `run` reads with `ByteSource`).
 *
 * Outcome of one input: it returns, or it throws an error the target allows (by default any
 * MtwireError: bad input is expected to be refused), or it fails:
 * - crash: anything else was thrown (TypeError, RangeError, a DataView out-of-bounds...);
 * - contract: the target's own invariant broke (it throws a ContractViolation);
 * - hang: one input took longer than the time limit (confirmed by a second run);
 * - alloc: one input grew the heap + external memory by more than the target's budget (confirmed).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { MtwireError } from '../src/base/errors.js';

export interface FuzzTarget {
  readonly name: string;
  /** What the target feeds and to which entry point. */
  readonly description: string;
  /** 'cheap' targets run 10^6 inputs in a long campaign; 'expensive' ones (RSA, DH, many encryptions) fewer. */
  readonly cost: 'cheap' | 'expensive';
  readonly arbitrary: fc.Arbitrary<Uint8Array>;
  /** Feeds one input; may return what it decoded (held while memory is measured). */
  run(data: Uint8Array): unknown;
  /** Errors that are a correct refusal of bad input. Default: any MtwireError. */
  allowed?(error: unknown): boolean;
  /** Bytes one input may make the code allocate. Default: 1 MiB + 64 per input byte. */
  allocBudget?(data: Uint8Array): number;
}

export type FailureKind = 'crash' | 'contract' | 'hang' | 'alloc';

/** What `runInput` returns for an input that failed. */
export class FuzzFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly detail: string,
    readonly error?: unknown,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'FuzzFailure';
  }
}

/** Allowed errors swallowed by checkTyped, by label (read and reset by runCampaign). */
export const refusals = new Map<string, number>();

/** A target's own invariant did not hold (thrown from `run`; never an MtwireError, so never allowed). */
export class ContractViolation extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(cause instanceof Error ? `${message}: ${errorLabel(cause)}: ${cause.message}` : message);
    this.name = 'ContractViolation';
  }
}

export const isTyped = (error: unknown): boolean => error instanceof MtwireError;

/** Runs `fn`; an allowed error is swallowed, anything else is rethrown as a FuzzFailure. */
export function checkTyped<T>(fn: () => T, allowed: (error: unknown) => boolean = isTyped): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FuzzFailure) throw error;
    if (error instanceof ContractViolation) throw new FuzzFailure('contract', error.message, error);
    if (allowed(error)) {
      const label = errorLabel(error);
      refusals.set(label, (refusals.get(label) ?? 0) + 1);
      return undefined;
    }
    throw new FuzzFailure('crash', describeError(error), error);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const frames = (error.stack ?? '')
      .split('\n')
      .slice(1, 6)
      .map((l) => l.trim())
      .join(' | ');
    return `${error.constructor.name}${code !== undefined ? `[${String(code)}]` : ''}: ${error.message}${frames ? ` @ ${frames}` : ''}`;
  }
  return `non-Error thrown: ${String(error)}`;
}

/** A short class/code label for the histogram of allowed errors. */
export function errorLabel(error: unknown): string {
  if (error instanceof MtwireError) {
    const check = (error as { check?: unknown }).check;
    const problem = (error as { problem?: unknown }).problem;
    return `${error.constructor.name}:${error.code}${typeof check === 'string' ? `/${check}` : ''}${typeof problem === 'string' ? `/${problem}` : ''}`;
  }
  return error instanceof Error ? error.constructor.name : typeof error;
}

export interface RunLimits {
  /** An input slower than this (ms), twice in a row, is a hang. */
  timeLimitMs: number;
  /** Measure heap + external memory around each input (≈5 µs per input). */
  measureAlloc: boolean;
}

export const DEFAULT_LIMITS: RunLimits = { timeLimitMs: 1000, measureAlloc: true };

export interface InputStats {
  ms: number;
  /** Heap + external growth over the input (0 when not measured). */
  grown: number;
  /** The error the target allowed, if one was thrown. */
  refused?: unknown;
}

let gcFunction: (() => void) | null | undefined;
/** A full collection, through the --expose-gc hook (switched on here when the process was not started with it). */
function fullGc(): void {
  if (gcFunction === undefined) {
    gcFunction = (globalThis as { gc?: () => void }).gc ?? null;
    if (!gcFunction) {
      try {
        v8.setFlagsFromString('--expose-gc');
        gcFunction = runInNewContext('gc') as () => void;
      } catch {
        gcFunction = null;
      }
    }
  }
  gcFunction?.();
}

function heapNow(): number {
  const h = v8.getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

function timedRun(target: FuzzTarget, data: Uint8Array, measure: boolean): { ms: number; grown: number; refused?: unknown } {
  const allowed = target.allowed ?? isTyped;
  const before = measure ? heapNow() : 0;
  const t0 = performance.now();
  let refused: unknown;
  let kept: unknown;
  try {
    kept = target.run(data);
  } catch (error) {
    if (error instanceof FuzzFailure) throw error;
    if (error instanceof ContractViolation) throw new FuzzFailure('contract', error.message, error);
    if (!allowed(error)) throw new FuzzFailure('crash', describeError(error), error);
    refused = error;
  }
  const ms = performance.now() - t0;
  const grown = measure ? heapNow() - before : 0;
  void kept;
  return { ms, grown, refused };
}

/** Runs one input through a target and classifies it; throws FuzzFailure on a crash, contract, hang or alloc. */
export function runInput(target: FuzzTarget, data: Uint8Array, limits: RunLimits = DEFAULT_LIMITS): InputStats {
  const first = timedRun(target, data, limits.measureAlloc);
  const budget = target.allocBudget?.(data) ?? 1024 * 1024 + 64 * data.length;
  if (first.ms > limits.timeLimitMs) {
    const again = timedRun(target, data, false);
    if (again.ms > limits.timeLimitMs) {
      throw new FuzzFailure('hang', `${data.length}-byte input took ${Math.round(first.ms)} ms, then ${Math.round(again.ms)} ms`);
    }
  }
  if (first.grown > budget) {
    // Lazy caches, GC timing and concurrent sweeping make one measurement noisy: only a growth that comes
    // back after a full collection counts (the fuzz script starts its workers with --expose-gc).
    fullGc();
    const again = timedRun(target, data, true);
    if (again.grown > budget) {
      throw new FuzzFailure('alloc', `${data.length}-byte input allocated ${first.grown} then ${again.grown} bytes (budget ${budget})`);
    }
  }
  return { ms: first.ms, grown: first.grown, refused: first.refused };
}

export interface CampaignOptions {
  runs: number;
  seed: number;
  limits?: RunLimits;
  /** Stop generating new inputs after this long (the counts stay honest: `inputs` says how many ran). */
  maxSeconds?: number;
  /** Time allowed for shrinking a failure before the best counterexample so far is kept. */
  shrinkSeconds?: number;
  /** Called before each input with the bytes (the watchdog's copy) and after each input. */
  onInput?: (data: Uint8Array) => void;
  onProgress?: (stats: CampaignStats) => void;
}

export interface CampaignStats {
  target: string;
  inputs: number;
  seconds: number;
  maxMs: number;
  /** The largest heap + external growth one input caused (a GC during the input hides some). */
  maxAlloc: number;
  totalBytes: number;
  refused: Record<string, number>;
  failure?: { kind: FailureKind; message: string; hex: string; shrinks: number };
  interrupted: boolean;
}

/**
 * fast-check over one target: `runs` inputs, shrinking the first failure (within `shrinkSeconds`).
 * The counterexample is the smallest failing input fast-check reached, as hex.
 */
export function runCampaign(target: FuzzTarget, options: CampaignOptions): CampaignStats {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const stats: CampaignStats = {
    target: target.name,
    inputs: 0,
    seconds: 0,
    maxMs: 0,
    maxAlloc: 0,
    totalBytes: 0,
    refused: {},
    interrupted: false,
  };
  let failedAt: number | undefined;
  let best: { data: Uint8Array; failure: FuzzFailure } | undefined;
  let shrinks = 0;
  const shrinkMs = (options.shrinkSeconds ?? 60) * 1000;
  const started = performance.now();
  let lastProgress = started;
  refusals.clear();

  const predicate = (data: Uint8Array): boolean => {
    if (failedAt !== undefined) {
      // Shrinking: past the budget every candidate "passes", so fast-check stops at the best one so far.
      if (performance.now() - failedAt > shrinkMs) return true;
    } else {
      stats.inputs++;
      stats.totalBytes += data.length;
    }
    options.onInput?.(data);
    try {
      const r = runInput(target, data, limits);
      if (failedAt === undefined) {
        if (r.ms > stats.maxMs) stats.maxMs = r.ms;
        if (r.grown > stats.maxAlloc) stats.maxAlloc = r.grown;
        if (r.refused !== undefined) {
          const label = errorLabel(r.refused);
          stats.refused[label] = (stats.refused[label] ?? 0) + 1;
        }
        const now = performance.now();
        if (options.onProgress && now - lastProgress > 2000) {
          lastProgress = now;
          stats.seconds = (now - started) / 1000;
          options.onProgress(stats);
        }
      }
      return true;
    } catch (error) {
      if (!(error instanceof FuzzFailure)) throw error;
      if (failedAt === undefined) failedAt = performance.now();
      else shrinks++;
      best = { data: data.slice(), failure: error }; // fast-check moves on from the last failing candidate
      return false;
    }
  };

  const details = fc.check(fc.property(target.arbitrary, predicate), {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.maxSeconds !== undefined ? { interruptAfterTimeLimit: options.maxSeconds * 1000 } : {}),
    markInterruptAsFailure: false,
  });
  stats.seconds = (performance.now() - started) / 1000;
  stats.interrupted = details.interrupted;
  for (const [label, n] of refusals) stats.refused[label] = (stats.refused[label] ?? 0) + n;
  if (best) {
    stats.failure = { kind: best.failure.kind, message: best.failure.detail, hex: toHex(best.data), shrinks };
  } else if (details.failed && details.errorInstance) {
    throw details.errorInstance; // the harness itself broke
  }
  return stats;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(clean)) throw new Error('bad hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
