export function readDocx(_bytes: Uint8Array): never { throw new Error('todo'); }
