#!/usr/bin/env bash
# Makes a cluster CA and one certificate per node for the event bus's mutual TLS, with the JDK's
# keytool (no other tool needed).
#
#   scripts/make-certs.sh <dir> <node>...      e.g. scripts/make-certs.sh certs node1.example node2.example 10.0.0.3
#
# In <dir>: ca.p12 (the CA's private key: keep it off the nodes), ca.crt (its certificate, PEM),
# truststore.p12 (the CA certificate: cluster.tls.trustStore on every node), and <node>.p12 (the
# node's key and its certificate signed by the CA: cluster.tls.keyStore on that node only). Each
# node name goes into its certificate as a DNS name, or an IP address if it is one. An existing CA
# in <dir> is reused, so that nodes added later join the same cluster. The password of every
# store is $TF_CERT_PASSWORD (default: changeit); set it, and give it to the nodes as
# cluster.tls.keyStorePassword and cluster.tls.trustStorePassword.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <dir> <node>..." >&2
  exit 2
fi
dir=$1
shift
password=${TF_CERT_PASSWORD:-changeit}
keytool=keytool
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ]; then
  keytool="$JAVA_HOME/bin/keytool"
fi
days=825
mkdir -p "$dir"
umask 077

if [ ! -f "$dir/ca.p12" ]; then
  "$keytool" -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=tenant-features cluster CA" \
    -ext bc:c=ca:true -ext ku:c=keyCertSign,cRLSign -validity "$days" \
    -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$password" 2>/dev/null
  "$keytool" -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$password" > "$dir/ca.crt" 2>/dev/null
  rm -f "$dir/truststore.p12"
  "$keytool" -importcert -noprompt -alias ca -file "$dir/ca.crt" \
    -keystore "$dir/truststore.p12" -storetype PKCS12 -storepass "$password" > /dev/null 2>&1
fi

for node in "$@"; do
  if [[ $node =~ ^[0-9.]+$ || $node == *:* ]]; then san="ip:$node"; else san="dns:$node"; fi
  rm -f "$dir/$node.p12"
  "$keytool" -genkeypair -alias node -keyalg EC -groupname secp256r1 -dname "CN=$node" -validity "$days" \
    -keystore "$dir/$node.p12" -storetype PKCS12 -storepass "$password" 2>/dev/null
  "$keytool" -certreq -alias node -keystore "$dir/$node.p12" -storepass "$password" 2>/dev/null \
    | "$keytool" -gencert -rfc -alias ca -keystore "$dir/ca.p12" -storepass "$password" -validity "$days" \
        -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth -ext "san=$san" > "$dir/$node.crt" 2>/dev/null
  # The chain: the CA first, so that the signed certificate can replace the self-signed one.
  "$keytool" -importcert -noprompt -alias ca -file "$dir/ca.crt" -keystore "$dir/$node.p12" -storepass "$password" > /dev/null 2>&1
  "$keytool" -importcert -alias node -file "$dir/$node.crt" -keystore "$dir/$node.p12" -storepass "$password" > /dev/null 2>&1
  rm -f "$dir/$node.crt"
  echo "$dir/$node.p12"
done
