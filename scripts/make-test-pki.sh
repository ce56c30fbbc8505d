#!/usr/bin/env bash
# Builds the test PKI that the signing tests, the sandbox backend and the workstation's TLS tests
# use. Plain bash + openssl (3.x). Idempotent: does nothing when <outdir>/.complete exists; a run
# that stops half-way leaves no .complete, so the next run starts again from an empty <outdir>.
#
#   scripts/make-test-pki.sh <outdir>
#
# Environment (optional):
#   QAB_PKI_CRL_PORT   port written into the operator certs' CRL distribution point  (default 27801)
#   QAB_PKI_OCSP_PORT  port written into the operator certs' OCSP access location    (default 27802)
#
# All keystores are PKCS#12 with the password Qwerty12 (the national CA's test password).
# CA keys are EC P-256 (fast); "rsa-*" operator certs and the provider signer are RSA 2048.
#
# Layout of <outdir>:
#   .complete                     marker written last
#   ca/root.pem, root.key.pem     "Test NCA Root" (self-signed, EC)
#   ca/intermediate.pem, .key.pem "Test NCA Intermediate", issues every operator cert (EC)
#   ca/chain.pem                  intermediate + root (for openssl -CAfile)
#   ca/index.txt, ca/serial, ... the intermediate's `openssl ca` database: the revoked operator
#                                 certs are marked R here, so `openssl ocsp -index` answers "revoked"
#   ca/openssl.cnf                the config used (kept so tests can run `openssl ca` if they must)
#   crl/intermediate.crl.pem|.der CRL of the intermediate, nextUpdate = now + 30 days, listing
#                                 operator/rsa-revoked and operator/ec-revoked
#   operator/<alg>-<case>.pem     certificate; .key.pem private key (PKCS#8); .p12 keystore with the
#                                 cert, key and chain (intermediate + root)
#       <alg>  = rsa | ec
#       <case> = valid      digitalSignature+nonRepudiation, IIN850315300128, BIN040340001233
#                expired    valid 2020-01-01 .. 2021-01-01
#                notyet     valid from now + 2 years
#                revoked    listed in the CRL and in the OCSP index
#                wrong-iin  serialNumber=IIN900702400457
#                wrong-ku   keyUsage keyEncipherment only (no digitalSignature, no nonRepudiation)
#     Every operator cert carries:
#       crlDistributionPoints = http://127.0.0.1:$QAB_PKI_CRL_PORT/crl/intermediate.crl   (DER)
#       authorityInfoAccess   = OCSP;http://127.0.0.1:$QAB_PKI_OCSP_PORT/
#       extendedKeyUsage      = emailProtection (as NCA signing certs do)
#   operator/rsa-valid-legacy.p12 same as rsa-valid.p12, written with `-legacy`
#                                 (pbeWithSHA1And3-KeyTripleDES-CBC key, RC2-40 certs, SHA-1 MAC)
#   operator/ec-valid-legacy.p12  likewise for the EC key
#   ocsp/ocsp.pem, ocsp.key.pem   OCSP responder cert issued by the intermediate (OCSPSigning, ocspNoCheck)
#                                 run: openssl ocsp -index ca/index.txt -port N -rsigner ocsp/ocsp.pem
#                                        -rkey ocsp/ocsp.key.pem -CA ca/intermediate.pem
#   provider/root.pem             "Test Provider Root" (EC), separate trust anchor for results
#   provider/intermediate.pem     "Test Provider Intermediate" (EC)
#   provider/chain.pem            provider intermediate + provider root
#   provider/signer.pem, .key.pem, .p12  the provider's authorised person (RSA 2048), signs result PDFs
#                                 (OU=BIN150240012347, extendedKeyUsage emailProtection, policy 1.2.398.3.3.4.1.2)
#     The provider intermediate and signers carry CRL distribution points on $QAB_PKI_CRL_PORT:
#     /crl/provider-root.crl (the root's list of revoked intermediates) and
#     /crl/provider-intermediate.crl; both lists are in crl/provider-{root,intermediate}.crl.der.
#     Both lists say they were issued a day before the build (as the operators' certificates start
#     a day early): a workstation whose clock is an hour behind still takes them as current, however
#     fresh the build (test/faults/sync/resilience.test.ts, clock skew).
#   provider/signer-revoked.pem, .key.pem       listed in the provider intermediate's CRL
#   provider/signer-wrong-eku.pem, .key.pem     extendedKeyUsage clientAuth only, no policy
#   provider/signer-wrong-bin.pem, .key.pem     another organisation's BIN (OU=BIN990340001234)
#   provider/intermediate-revoked.pem, .key.pem a second provider intermediate, listed in the root's CRL
#   provider/signer-under-revoked.pem, .key.pem a good signer issued by that revoked intermediate
#   provider/chain-revoked.pem                  intermediate-revoked + root
#   tls/ca.pem, ca.key.pem        "Test TLS CA" (EC)
#   tls/server.pem, .key.pem      sandbox backend server cert, SAN DNS:localhost, IP:127.0.0.1
#   tls/client.pem, .key.pem, .p12  workstation client cert for mutual TLS (clientAuth)
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 <outdir>" >&2
  exit 2
fi
OUT=$1
if [ -f "$OUT/.complete" ]; then
  exit 0
fi
rm -rf "$OUT"
mkdir -p "$OUT"/{ca/newcerts,crl,operator,ocsp,provider,tls}
OUT=$(cd "$OUT" && pwd)

PASS=Qwerty12
CRL_PORT=${QAB_PKI_CRL_PORT:-27801}
OCSP_PORT=${QAB_PKI_OCSP_PORT:-27802}
OPERATOR_NAME='Омаров Ерлан Серікұлы'
OPERATOR_IIN=850315300128
OTHER_IIN=900702400457
CENTRE_BIN=040340001233
CENTRE_ORG='ХҚКО Алматы қ. Алмалы ауданы бөлімі'

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
# openssl ca wants YYMMDDHHMMSSZ (UTCTime form)
utc() { date -u -d "$1" +%y%m%d%H%M%SZ; }

# ---- extension profiles (shared by `openssl x509 -req -extfile` and `openssl ca -extfile`) ----
cat > "$OUT/ca/ext.cnf" <<CNF
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[op_sign]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://127.0.0.1:${CRL_PORT}/crl/intermediate.crl
authorityInfoAccess = OCSP;URI:http://127.0.0.1:${OCSP_PORT}/

[op_wrong_ku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://127.0.0.1:${CRL_PORT}/crl/intermediate.crl
authorityInfoAccess = OCSP;URI:http://127.0.0.1:${OCSP_PORT}/

[ocsp]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[provider_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://127.0.0.1:${CRL_PORT}/crl/provider-root.crl

[provider_sign]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
certificatePolicies = 1.2.398.3.3.4.1.2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://127.0.0.1:${CRL_PORT}/crl/provider-intermediate.crl

[provider_wrong_eku]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://127.0.0.1:${CRL_PORT}/crl/provider-intermediate.crl

[tls_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[tls_client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
EXT=$OUT/ca/ext.cnf

# self_signed <key> <cert> <subject> <days>
self_signed() {
  openssl req -new -x509 -utf8 -key "$1" -out "$2" -subj "$3" -days "$4" -sha256 \
    -extensions root -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat "$EXT") >/dev/null
}
# issue <csr-key> <cert> <subject> <issuer-cert> <issuer-key> <profile> <days>
issue() {
  openssl req -new -utf8 -key "$1" -subj "$3" -out "$2.csr" \
    -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n') >/dev/null
  openssl x509 -req -in "$2.csr" -CA "$4" -CAkey "$5" -CAcreateserial -out "$2" -days "$7" -sha256 \
    -extfile "$EXT" -extensions "$6" 2>/dev/null
  rm -f "$2.csr"
}
# p12 <key> <cert> <chain> <out> [extra args]
p12() {
  local key=$1 cert=$2 chain=$3 out=$4; shift 4
  openssl pkcs12 -export "$@" -inkey "$key" -in "$cert" -certfile "$chain" -name signing \
    -passout "pass:$PASS" -out "$out"
}

# ---- the national CA stand-in: root and intermediate ----
ec_key "$OUT/ca/root.key.pem"
self_signed "$OUT/ca/root.key.pem" "$OUT/ca/root.pem" '/C=KZ/O=Qabyldau Test/CN=Test NCA Root' 7300
ec_key "$OUT/ca/intermediate.key.pem"
issue "$OUT/ca/intermediate.key.pem" "$OUT/ca/intermediate.pem" '/C=KZ/O=Qabyldau Test/CN=Test NCA Intermediate' \
  "$OUT/ca/root.pem" "$OUT/ca/root.key.pem" intermediate 7000
cat "$OUT/ca/intermediate.pem" "$OUT/ca/root.pem" > "$OUT/ca/chain.pem"

# `openssl ca` database for the intermediate: explicit start/end dates, revocation, CRL, OCSP index
touch "$OUT/ca/index.txt"
echo 1000 > "$OUT/ca/serial"
echo 1000 > "$OUT/ca/crlnumber"
cat > "$OUT/ca/openssl.cnf" <<CNF
[ca]
default_ca = opca
[opca]
dir = $OUT/ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = \$dir/intermediate.pem
private_key = \$dir/intermediate.key.pem
default_md = sha256
default_crl_days = 30
policy = any
unique_subject = no
preserve = yes
email_in_dn = no
copy_extensions = none
[any]
countryName = optional
organizationName = optional
organizationalUnitName = optional
serialNumber = optional
commonName = optional
CNF

# operator <alg> <case> <iin> <profile> <start> <end>
operator() {
  local alg=$1 name=$2 iin=$3 profile=$4 start=$5 end=$6
  local base=$OUT/operator/$alg-$name
  if [ "$alg" = rsa ]; then rsa_key "$base.key.pem"; else ec_key "$base.key.pem"; fi
  openssl req -new -utf8 -key "$base.key.pem" -out "$base.csr" \
    -subj "/C=KZ/O=${CENTRE_ORG}/OU=BIN${CENTRE_BIN}/serialNumber=IIN${iin}/CN=${OPERATOR_NAME}" \
    -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n') >/dev/null
  openssl ca -batch -utf8 -notext -config "$OUT/ca/openssl.cnf" -in "$base.csr" -out "$base.pem" \
    -startdate "$start" -enddate "$end" -extfile "$EXT" -extensions "$profile" 2>/dev/null
  rm -f "$base.csr"
  p12 "$base.key.pem" "$base.pem" "$OUT/ca/chain.pem" "$base.p12"
}

NOW_MINUS=$(utc '-1 day')
IN_2Y=$(utc '+2 years')
IN_4Y=$(utc '+4 years')
IN_10Y=$(utc '+10 years')
for alg in rsa ec; do
  operator "$alg" valid     "$OPERATOR_IIN" op_sign     "$NOW_MINUS" "$IN_10Y"
  operator "$alg" expired   "$OPERATOR_IIN" op_sign     200101000000Z 210101000000Z
  operator "$alg" notyet    "$OPERATOR_IIN" op_sign     "$IN_2Y" "$IN_4Y"
  operator "$alg" revoked   "$OPERATOR_IIN" op_sign     "$NOW_MINUS" "$IN_10Y"
  operator "$alg" wrong-iin "$OTHER_IIN"    op_sign     "$NOW_MINUS" "$IN_10Y"
  operator "$alg" wrong-ku  "$OPERATOR_IIN" op_wrong_ku "$NOW_MINUS" "$IN_10Y"
  p12 "$OUT/operator/$alg-valid.key.pem" "$OUT/operator/$alg-valid.pem" "$OUT/ca/chain.pem" \
    "$OUT/operator/$alg-valid-legacy.p12" -legacy
  openssl ca -config "$OUT/ca/openssl.cnf" -revoke "$OUT/operator/$alg-revoked.pem" -crl_reason keyCompromise 2>/dev/null
done

openssl ca -config "$OUT/ca/openssl.cnf" -gencrl -out "$OUT/crl/intermediate.crl.pem" 2>/dev/null
openssl crl -in "$OUT/crl/intermediate.crl.pem" -outform DER -out "$OUT/crl/intermediate.crl.der"

# ---- OCSP responder (delegated by the intermediate) ----
ec_key "$OUT/ocsp/ocsp.key.pem"
issue "$OUT/ocsp/ocsp.key.pem" "$OUT/ocsp/ocsp.pem" '/C=KZ/O=Qabyldau Test/CN=Test NCA OCSP Responder' \
  "$OUT/ca/intermediate.pem" "$OUT/ca/intermediate.key.pem" ocsp 3650

# ---- the service provider's chain and its authorised person ----
PROVIDER_ORG='Алматы қаласының табиғи ресурстар басқармасы'
PROVIDER_SUBJ="/C=KZ/O=${PROVIDER_ORG}/OU=BIN150240012347/serialNumber=IIN${OTHER_IIN}/CN=Уәкілетті тұлға"
ec_key "$OUT/provider/root.key.pem"
self_signed "$OUT/provider/root.key.pem" "$OUT/provider/root.pem" '/C=KZ/O=Qabyldau Test/CN=Test Provider Root' 7300
ec_key "$OUT/provider/intermediate.key.pem"
issue "$OUT/provider/intermediate.key.pem" "$OUT/provider/intermediate.pem" \
  '/C=KZ/O=Qabyldau Test/CN=Test Provider Intermediate' "$OUT/provider/root.pem" "$OUT/provider/root.key.pem" provider_ca 7000
cat "$OUT/provider/intermediate.pem" "$OUT/provider/root.pem" > "$OUT/provider/chain.pem"
rsa_key "$OUT/provider/signer.key.pem"
issue "$OUT/provider/signer.key.pem" "$OUT/provider/signer.pem" "$PROVIDER_SUBJ" \
  "$OUT/provider/intermediate.pem" "$OUT/provider/intermediate.key.pem" provider_sign 3650
p12 "$OUT/provider/signer.key.pem" "$OUT/provider/signer.pem" "$OUT/provider/chain.pem" "$OUT/provider/signer.p12"
# the result-trust cases (EC keys: fast)
provider_signer() { # <name> <subject> <issuer-base> <profile>
  ec_key "$OUT/provider/$1.key.pem"
  issue "$OUT/provider/$1.key.pem" "$OUT/provider/$1.pem" "$2" "$OUT/provider/$3.pem" "$OUT/provider/$3.key.pem" "$4" 3650
}
provider_signer signer-revoked "$PROVIDER_SUBJ" intermediate provider_sign
provider_signer signer-wrong-eku "$PROVIDER_SUBJ" intermediate provider_wrong_eku
provider_signer signer-wrong-bin "/C=KZ/O=Басқа мекеме/OU=BIN990340001234/CN=Басқа тұлға" intermediate provider_sign
ec_key "$OUT/provider/intermediate-revoked.key.pem"
issue "$OUT/provider/intermediate-revoked.key.pem" "$OUT/provider/intermediate-revoked.pem" \
  '/C=KZ/O=Qabyldau Test/CN=Test Provider Intermediate 2' "$OUT/provider/root.pem" "$OUT/provider/root.key.pem" provider_ca 7000
cat "$OUT/provider/intermediate-revoked.pem" "$OUT/provider/root.pem" > "$OUT/provider/chain-revoked.pem"
provider_signer signer-under-revoked "$PROVIDER_SUBJ" intermediate-revoked provider_sign
# CRLs of the provider root and intermediate (`openssl ca` databases of their own)
provider_crl() { # <issuer-base> <revoked-cert>
  local d=$OUT/provider/ca-$1
  mkdir -p "$d"
  touch "$d/index.txt"
  echo 1000 > "$d/crlnumber"
  printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s/index.txt\ncrlnumber = %s/crlnumber\ncertificate = %s\nprivate_key = %s\ndefault_md = sha256\ndefault_crl_days = 30\n' \
    "$d" "$d" "$OUT/provider/$1.pem" "$OUT/provider/$1.key.pem" > "$d/openssl.cnf"
  openssl ca -config "$d/openssl.cnf" -revoke "$OUT/provider/$2.pem" -crl_reason keyCompromise 2>/dev/null
  openssl ca -config "$d/openssl.cnf" -gencrl -crl_lastupdate "$NOW_MINUS" -out "$OUT/crl/provider-$1.crl.pem" 2>/dev/null
  openssl crl -in "$OUT/crl/provider-$1.crl.pem" -outform DER -out "$OUT/crl/provider-$1.crl.der"
}
provider_crl root intermediate-revoked
provider_crl intermediate signer-revoked

# ---- TLS: sandbox backend server and workstation client ----
ec_key "$OUT/tls/ca.key.pem"
self_signed "$OUT/tls/ca.key.pem" "$OUT/tls/ca.pem" '/C=KZ/O=Qabyldau Test/CN=Test TLS CA' 7300
ec_key "$OUT/tls/server.key.pem"
issue "$OUT/tls/server.key.pem" "$OUT/tls/server.pem" '/C=KZ/O=Qabyldau Test/CN=localhost' \
  "$OUT/tls/ca.pem" "$OUT/tls/ca.key.pem" tls_server 3650
ec_key "$OUT/tls/client.key.pem"
issue "$OUT/tls/client.key.pem" "$OUT/tls/client.pem" "/C=KZ/O=Qabyldau Test/CN=Workstation ${CENTRE_BIN}-01" \
  "$OUT/tls/ca.pem" "$OUT/tls/ca.key.pem" tls_client 3650
p12 "$OUT/tls/client.key.pem" "$OUT/tls/client.pem" "$OUT/tls/ca.pem" "$OUT/tls/client.p12"

rm -f "$OUT"/ca/*.srl "$OUT"/provider/*.srl "$OUT"/tls/*.srl
touch "$OUT/.complete"
