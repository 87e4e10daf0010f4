import { writeHtmlReport } from '../profile/html-output.js';

export interface ReportFlags {
  /** Where to write the page (default DIR/report.html). */
  output?: string;
}

/** `memprof report DIR [-o FILE]`: DIR's run as one self-contained HTML file; prints its path. */
export async function reportCommand(dir: string, flags: ReportFlags): Promise<number> {
  const file = writeHtmlReport(dir, flags.output);
  process.stdout.write(`${file}\n`);
  return 0;
}
