/** The output formats, in the order nianbao renders and lists them. */
export type OutputFormat = 'html' | 'docx' | 'pdf';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['html', 'docx', 'pdf'];
