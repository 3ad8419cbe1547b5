import type { PushErrorCode, PushErrorResponse } from '@ema/protocol';

/**
 * A SET the receiver refuses (RFC 8935 §2.3): answered `400` with `{ "err": code, "description": … }`. `reason` is
 * the precise cause for the receiver's audit log; `description` is what the transmitter is told, in fixed words.
 */
export class PushRefusal extends Error {
  /** Stable code of this class (the RFC 8935 code is `err`). */
  static readonly code = 'ERR_PUSH_REFUSED';
  /** Always {@link PushRefusal.code}. */
  readonly code = PushRefusal.code;
  override readonly name = 'PushRefusal';
  readonly err: PushErrorCode;
  readonly description: string;
  readonly reason: string;

  /** A refusal with its RFC 8935 code, the description sent, and the audit reason (default: the description). */
  constructor(err: PushErrorCode, description: string, reason: string = description) {
    super(description);
    this.err = err;
    this.description = description;
    this.reason = reason;
  }

  /** The RFC 8935 §2.3 response body. */
  toResponseBody(): PushErrorResponse {
    return { err: this.err, description: this.description };
  }
}
