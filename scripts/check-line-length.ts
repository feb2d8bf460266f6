/**
 * `tsx scripts/check-line-length.ts`: the code style's "lines under 140 characters" for every TypeScript file git tracks
 * (Biome's lineWidth cannot break a long string literal or comment). Prints file:line (and the length) for each longer line
 * and exits 1 if there is any; part of `npm run lint`, so `npm test` keeps it true.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 140;

const files = execFileSync('git', ['ls-files', '-z', '*.ts'], { encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '');

let long = 0;
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    // Characters (code points), not UTF-16 units: a CJK label or an emoji counts once.
    const length = [...line].length;
    if (length > MAX) {
      long++;
      console.log(`${file}:${i + 1}: ${length} characters`);
    }
  });
}

if (long > 0) {
  console.error(`${long} line(s) over ${MAX} characters`);
  process.exit(1);
}
console.log(`${files.length} files, no line over ${MAX} characters`);
