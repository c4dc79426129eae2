package org.tenantfeatures.http;

import org.tenantfeatures.http.v3.SegmentApi;
import org.tenantfeatures.http.v3.TenantRecordApi;

/** The release model's endpoints besides a flag's targeting (FlagApi's): segments and tenants' records. */
public record ReleaseApis(SegmentApi segments, TenantRecordApi tenants) {
}
