/** Reads the JSON-RPC messages of a Streamable HTTP response (SSE or JSON). */
export async function jsonRpcMessages(response: Response): Promise<unknown[]> {
  const body = await response.text();
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    // One JSON object, or an array of them answering a batch.
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)));
}
