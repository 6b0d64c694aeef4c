// Compiled without the DOM lib and without @types/node (tsconfig.nodom.json): the
// declarations must still type-check there (e.g. RequestOptions.signal: AbortSignal).
import { JourneyApi, type JourneySegment } from 'journey-api-wasm';

export async function firstSegment(api: JourneyApi): Promise<JourneySegment | undefined> {
  for await (const s of api.segments({ pageSize: 10, timeout: 5000 })) return s;
  return undefined;
}
