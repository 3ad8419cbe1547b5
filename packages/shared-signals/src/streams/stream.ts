/**
 * An SSF event stream as the Transmitter keeps it (SSF 1.0 §8.1.1), and the storage seam it lives behind. One
 * stream per Receiver: a Receiver is authenticated by its credential, which names its audience (`aud` of its SETs).
 */

/** SSF 1.0 §8.1.2: a stream's status. */
export type StreamStatusValue = 'enabled' | 'paused' | 'disabled';

/** One event stream. */
export interface SsfStream {
  readonly streamId: string;
  /** The Receiver it belongs to (the credential that created it). */
  readonly receiverId: string;
  /** SSF 1.0 §8.1.1 `aud`: the Receiver's identifier, the `aud` of every SET on the stream; never updated. */
  readonly audience: string;
  /** Push delivery (RFC 8935): where, and the `Authorization` header value the Receiver asked for. */
  readonly endpointUrl: string;
  readonly authorization: string | null;
  readonly eventsRequested: readonly string[];
  /** What is sent: the requested events this Transmitter supports. */
  readonly eventsDelivered: readonly string[];
  readonly description: string | null;
  readonly status: StreamStatusValue;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A Receiver known to the Transmitter: its id and the audience its streams carry. */
export interface SsfReceiver {
  readonly receiverId: string;
  readonly audience: string;
}

/** Where streams are kept. */
export interface SsfStreamStorage {
  findStream(streamId: string): SsfStream | undefined;
  findStreamOfReceiver(receiverId: string): SsfStream | undefined;
  insertStream(stream: SsfStream): void;
  replaceStream(stream: SsfStream): void;
  deleteStream(streamId: string): boolean;
  /** Every stream, for fanning an event out. */
  listStreams(): SsfStream[];
}
