package org.tenantfeatures.http.problem;

/**
 * Every error this service answers, as an RFC 9457 problem type. The {@code type} URIs are
 * relative (allowed by the RFC) and documented in the README; {@code title} never changes for a
 * type, {@code detail} says what was wrong with this request.
 */
public enum Problem {
  BAD_REQUEST(400, "bad-request", "Malformed request"),
  BAD_BODY(400, "bad-body", "Malformed request body"),
  MISSING_TENANT_ID(400, "missing-tenant-id", "Missing tenant id"),
  INVALID_TENANT_ID(400, "invalid-tenant-id", "Invalid tenant id"),
  UNAUTHORIZED(401, "unauthorized", "Missing or invalid bearer token"),
  TENANT_FORBIDDEN(403, "tenant-forbidden", "Tenant outside the token's scope"),
  ADMIN_REQUIRED(403, "admin-required", "Admin permission required"),
  WRITE_REQUIRED(403, "write-required", "Write permission required"),
  READ_REQUIRED(403, "read-required", "Read permission required"),
  ALL_TENANTS_REQUIRED(403, "all-tenants-required", "A token scoped to all tenants required"),
  CORS_ORIGIN_REFUSED(403, "cors-origin-refused", "Origin not allowed to call the API"),
  INVALID_FLAG_NAME(400, "invalid-flag-name", "Invalid flag name"),
  INVALID_SEGMENT_NAME(400, "invalid-segment-name", "Invalid segment name"),
  INVALID_MIN_REVISION(400, "invalid-min-revision", "Invalid minimum revision"),
  INVALID_PAGE(400, "invalid-page", "Invalid page parameters"),
  INVALID_VALUE(400, "invalid-value", "Value the database cannot store"),
  REVISION_NOT_REACHED(409, "revision-not-reached", "Revision not reached"),
  UNKNOWN_FLAG(404, "unknown-flag", "No such flag"),
  FLAG_EXISTS(409, "flag-exists", "Flag exists"),
  UNKNOWN_SEGMENT(404, "unknown-segment", "No such segment"),
  UNKNOWN_TENANT(404, "unknown-tenant", "Tenant without a record"),
  SEGMENT_IN_USE(409, "segment-in-use", "Segment used by flags"),
  SEGMENT_MISSING(422, "segment-missing", "Rule names a segment that does not exist"),
  NOT_FOUND(404, "not-found", "No such resource"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  REQUEST_TOO_LARGE(413, "request-too-large", "Request too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Body must be application/json"),
  URI_TOO_LONG(414, "uri-too-long", "Request line too long"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
  RANGE_NOT_SATISFIABLE(416, "range-not-satisfiable", "Range not satisfiable"),
  TOO_MANY_STREAMS(429, "too-many-streams", "Too many open change streams for this token"),
  INTERNAL(500, "internal", "Internal error"),
  DATABASE_UNAVAILABLE(503, "database-unavailable", "Database unavailable"),
  CIRCUIT_OPEN(503, "circuit-open", "Database temporarily not asked"),
  POOL_EXHAUSTED(503, "pool-exhausted", "All database connections busy"),
  DEADLINE_EXCEEDED(504, "deadline-exceeded", "No answer within the request deadline");

  private final int status;
  private final String slug;
  private final String title;

  Problem(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String type() {
    return "/problems/" + slug;
  }

  public String title() {
    return title;
  }

  /** 503 and 504 tell the client the request may succeed later. */
  public boolean retryable() {
    return status == 503 || status == 504;
  }
}
