export async function runAudit(_a: string[]): Promise<number> { return 2; }
