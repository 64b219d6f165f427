/**
 * Thread of `nianbao audit --jobs N`: audits its share of the files and sends back the plain results,
 * then ends (the parsed PDFs and documents go with it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { auditFile, type AuditResult } from './audit.js';

const { files } = workerData as { files: string[] };
const results: AuditResult[] = [];
for (const file of files) results.push(await auditFile(file));
parentPort!.postMessage(results);
