package org.tenantfeatures.support.badinput;

/** What came back for a case: an answer, or the connection closed or silent, or the client failed. */
record Answer(int status, String contentType, String body, String failure) {

  static Answer of(int status, String contentType, String body) {
    return new Answer(status, contentType, body, null);
  }

  static Answer failed(String failure) {
    return new Answer(-1, null, null, failure);
  }
}
