// A build of an earlier commit of this repository, for cases that run it side by side with the current dist/.
// The commit's tree comes from git history (git archive), its generated code from that commit's own generator,
// and the case's entry is bundled by esbuild straight from the commit's TypeScript (no tsc). The tree is kept
// under bench/.baseline/<commit>/ (ignored by git), so later runs and other cases reuse it. Packages (ws,
// @noble/hashes, esbuild for the generator) resolve from this checkout's node_modules through a symlink.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, 'bench/.baseline');

/**
 * Imports `entry` (the text of an ES module whose imports are relative to the commit's root, e.g.
 * `export { startTestServer } from './src/server/index.js'`) as built from `commit`. Answers
 * `{ module, commit }`, or `{ skipped }` with the reason when this checkout has no git or not that commit
 * (a tarball without history): the case then says so rather than fails. A failing build throws.
 */
export async function importBaseline(commit, entry) {
  const resolved = git(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`]);
  if (resolved.error || resolved.status !== 0) {
    const why = resolved.error
      ? `git is not available (${resolved.error.code})`
      : 'git finds no such commit here (a copy without its history?)';
    return { skipped: `commit ${commit}: ${why}` };
  }
  const hash = resolved.stdout.toString().trim();
  const tree = join(cacheDir, hash);
  if (!existsSync(tree)) extractAndGenerate(hash, tree);
  warnOnDependencyDrift(commit, tree);
  const bundle = join(tree, `.bench-${createHash('sha256').update(entry).digest('hex').slice(0, 12)}.mjs`);
  if (!existsSync(bundle)) {
    // Packages stay external: they resolve through the tree's node_modules symlink, as the current build's do.
    buildSync({
      stdin: { contents: entry, resolveDir: tree, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: bundle,
      logLevel: 'warning',
    });
  }
  return { module: await import(pathToFileURL(bundle).href), commit: hash.slice(0, 7) };
}

function git(args) {
  return spawnSync('git', args, { cwd: root, maxBuffer: 1 << 30 });
}

/** Builds into a scratch directory renamed into place at the end, so an interrupted build is never reused. */
function extractAndGenerate(hash, tree) {
  const scratch = `${tree}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const archive = git(['archive', '--format=tar', hash]);
  if (archive.status !== 0) throw new Error(`git archive ${hash} failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', scratch], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`extracting ${hash} failed: ${untar.stderr}`);
  // Relative, so that the cache survives the checkout being moved.
  symlinkSync(relative(tree, join(root, 'node_modules')), join(scratch, 'node_modules'), 'dir');
  // The commit's own generator, exactly as its `npm run build` starts (scripts/gen.mjs bundles it with esbuild).
  const generate = spawnSync(process.execPath, ['scripts/gen.mjs'], { cwd: scratch, stdio: ['ignore', 'ignore', 'inherit'] });
  if (generate.status !== 0) throw new Error(`the generator of ${hash} exited with ${generate.status}`);
  // Another process (a test beside a bench run) may have finished the same commit first.
  if (existsSync(tree)) rmSync(scratch, { recursive: true, force: true });
  else renameSync(scratch, tree);
}

/** The old build runs on this checkout's packages: say so when the commit asked for other versions. */
function warnOnDependencyDrift(commit, tree) {
  const wanted = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')).dependencies ?? {};
  const have = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {};
  for (const [name, version] of Object.entries(wanted)) {
    if (have[name] !== version) console.warn(`note: ${commit} declares ${name} ${version}; running with ${have[name] ?? 'none'}`);
  }
}
