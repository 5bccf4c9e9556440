// Preloaded with `node --import`: prints the process's peak resident memory when it exits, so
// the benchmark can compare generators without GNU time.
import process from 'node:process';

process.on('exit', () => {
  process.stderr.write(`\nvmtasks-bench-maxrss-kib ${process.resourceUsage().maxRSS}\n`);
});
