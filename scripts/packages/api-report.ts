// Public API reports (API Extractor), one per export of every publishable package, committed
// under packages/<dir>/api/. `npm run api-report` rewrites them; `--check` (run by npm test)
// fails naming each report that no longer matches the built declarations.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConsoleMessageId, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import { publishablePackages, root, type EntryPoint, type PublishablePackage } from './workspace.js';

const check = process.argv.includes('--check');
const quietConsoleMessages = new Set<string>([ConsoleMessageId.Preamble, ConsoleMessageId.CompilerVersionNotice]);

function reportName(pkg: PublishablePackage, entry: EntryPoint): string {
  const unscoped = pkg.name.replace(/^@[^/]+\//, '');
  const sub = entry.subpath === '.' ? '' : `-${entry.subpath.replace(/^\.\//, '').replaceAll('/', '-')}`;
  return `${unscoped}${sub}.api.md`;
}

let failures = 0;
for (const pkg of await publishablePackages()) {
  const reportFolder = path.join(pkg.dir, 'api');
  await mkdir(reportFolder, { recursive: true });
  for (const entry of pkg.entryPoints) {
    const reportFileName = reportName(pkg, entry);
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: pkg.dir,
        mainEntryPointFilePath: entry.types,
        compiler: { tsconfigFilePath: path.join(pkg.dir, 'tsconfig.json') },
        apiReport: { enabled: true, reportFileName, reportFolder, reportTempFolder: path.join(pkg.dir, 'node_modules/.api-report') },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        newlineKind: 'lf',
        messages: {
          // Undocumented exports and TSDoc style are not this project's bar; missing exports are.
          extractorMessageReporting: {
            default: { logLevel: ExtractorLogLevel.Warning },
            'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
            'ae-forgotten-export': { logLevel: ExtractorLogLevel.None },
            'ae-undocumented': { logLevel: ExtractorLogLevel.None },
          },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        },
      },
      configObjectFullPath: path.join(pkg.dir, 'api-extractor.json'),
      packageJsonFullPath: path.join(pkg.dir, 'package.json'),
    });
    const result = Extractor.invoke(config, {
      localBuild: !check,
      messageCallback: (message) => {
        // Report drift is printed below, once, in our words; the compiler-version preamble is noise.
        if (message.messageId.startsWith('console-api-report-') || quietConsoleMessages.has(message.messageId)) message.handled = true;
      },
    });
    const report = path.relative(root, path.join(reportFolder, reportFileName));
    if (check && result.apiReportChanged) {
      failures++;
      console.error(
        `${report}: the public API of ${pkg.name} (${entry.subpath}) changed; run \`npm run api-report\` and commit the report`,
      );
    } else if (!result.succeeded) {
      failures++;
      console.error(`${report}: API Extractor reported ${result.errorCount} error(s)`);
    } else console.log(`${report}: ${result.apiReportChanged ? 'updated' : 'up to date'}`);
  }
}
process.exitCode = failures ? 1 : 0;
