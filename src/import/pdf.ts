export async function readPdf(_bytes: Uint8Array): Promise<never> { throw new Error('todo'); }
