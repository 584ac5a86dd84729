/** The formats `fsx-dr report --format` writes; here, apart from the report's code, so that parsing argv loads none of it. */
export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
