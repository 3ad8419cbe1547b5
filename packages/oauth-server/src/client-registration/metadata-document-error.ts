/** Why a Client ID Metadata Document was not accepted. Stable codes; the audit log records them. */
export type MetadataDocumentErrorCode =
  | 'ERR_CIMD_URL_INVALID'
  | 'ERR_CIMD_ADDRESS_REFUSED'
  | 'ERR_CIMD_UNREACHABLE'
  | 'ERR_CIMD_TIMEOUT'
  | 'ERR_CIMD_REDIRECTED'
  | 'ERR_CIMD_STATUS'
  | 'ERR_CIMD_TOO_LARGE'
  | 'ERR_CIMD_NOT_JSON'
  | 'ERR_CIMD_CLIENT_ID_MISMATCH'
  | 'ERR_CIMD_METADATA_INVALID';

/** A Client ID Metadata Document that could not be fetched or was refused; `code` says why. */
export class MetadataDocumentError extends Error {
  override name = 'MetadataDocumentError';
  readonly code: MetadataDocumentErrorCode;
  /** Creates the error; `message` is for the page and the audit log (it names no internal address). */
  constructor(code: MetadataDocumentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
