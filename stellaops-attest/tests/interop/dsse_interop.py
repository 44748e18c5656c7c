#!/usr/bin/env python3
"""DSSE interoperability helper: an independent implementation (securesystemslib +
pyca/cryptography) that signs envelopes for stellaops-attest to verify, and verifies the
envelopes stellaops-attest signs. Driven by stellaops-attest/tests/python_interop.rs.

Modes:
  sign --alg {ed25519,ecdsa-p256,ecdsa-p384} --out-dir DIR --payload-file F --payload-type T
      Generate a key with `cryptography`, write DIR/private.pem (PKCS#8), DIR/public.pem
      (SubjectPublicKeyInfo), sign the payload into a DSSE envelope with securesystemslib
      (keyid = securesystemslib's default key id) and write DIR/envelope.json and
      DIR/sslib_keyid.txt.
  verify --envelope F --public-key PEM [--keyid-convention {stellaops,sslib}]
      Verify the envelope with securesystemslib against the one public key (threshold 1).
      securesystemslib only tries keys whose keyid equals the signature's keyid, so the key
      is given the keyid of the chosen convention: `stellaops` = lowercase hex SHA-256 of the
      SubjectPublicKeyInfo DER (computed here independently), `sslib` = securesystemslib's
      default. Prints the accepted keyids as JSON. Exit 0 valid, 1 invalid, 2 bad input.
  check-private --private-key PEM --public-key PEM
      Load a PKCS#8 PEM private key with `cryptography` and check that it matches the public
      key. Exit 0 match, 1 mismatch, 2 bad input.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from securesystemslib import exceptions
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

SCHEMES = {
    "ed25519": None,
    "ecdsa-p256": "ecdsa-sha2-nistp256",
    "ecdsa-p384": "ecdsa-sha2-nistp384",
}


def spki_der(public_key) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def stellaops_keyid(public_key) -> str:
    return hashlib.sha256(spki_der(public_key)).hexdigest()


def cmd_sign(args) -> int:
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if args.alg == "ed25519":
        private_key = ed25519.Ed25519PrivateKey.generate()
    elif args.alg == "ecdsa-p256":
        private_key = ec.generate_private_key(ec.SECP256R1())
    else:
        private_key = ec.generate_private_key(ec.SECP384R1())
    public_key = private_key.public_key()
    sslib_key = SSlibKey.from_crypto(public_key, scheme=SCHEMES[args.alg])
    signer = CryptoSigner(private_key, sslib_key)

    (out / "private.pem").write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (out / "public.pem").write_bytes(
        public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )

    payload = Path(args.payload_file).read_bytes()
    envelope = Envelope(payload=payload, payload_type=args.payload_type, signatures={})
    envelope.sign(signer)
    # Self-check with the independent implementation before handing it over.
    envelope.verify([sslib_key], 1)
    (out / "envelope.json").write_text(json.dumps(envelope.to_dict()))
    (out / "sslib_keyid.txt").write_text(sslib_key.keyid)
    print(json.dumps({"sslib_keyid": sslib_key.keyid, "stellaops_keyid": stellaops_keyid(public_key)}))
    return 0


def cmd_verify(args) -> int:
    try:
        public_key = serialization.load_pem_public_key(Path(args.public_key).read_bytes())
        data = json.loads(Path(args.envelope).read_text())
        envelope = Envelope.from_dict(data)
    except Exception as e:  # noqa: BLE001 - any decoding failure is "bad input"
        print(f"bad input: {type(e).__name__}: {e}", file=sys.stderr)
        return 2

    if isinstance(public_key, ed25519.Ed25519PublicKey):
        scheme = "ed25519"
    elif isinstance(public_key, ec.EllipticCurvePublicKey) and isinstance(
        public_key.curve, ec.SECP256R1
    ):
        scheme = "ecdsa-sha2-nistp256"
    elif isinstance(public_key, ec.EllipticCurvePublicKey) and isinstance(
        public_key.curve, ec.SECP384R1
    ):
        scheme = "ecdsa-sha2-nistp384"
    else:
        print(f"unsupported key type {type(public_key).__name__}", file=sys.stderr)
        return 2

    keyid = stellaops_keyid(public_key) if args.keyid_convention == "stellaops" else None
    key = SSlibKey.from_crypto(public_key, keyid=keyid, scheme=scheme)
    try:
        accepted = envelope.verify([key], 1)
    except exceptions.VerificationError as e:
        print(f"invalid: {e}", file=sys.stderr)
        return 1
    print(json.dumps({"accepted_keyids": sorted(accepted)}))
    return 0


def cmd_check_private(args) -> int:
    try:
        private_key = serialization.load_pem_private_key(
            Path(args.private_key).read_bytes(), password=None
        )
        public_key = serialization.load_pem_public_key(Path(args.public_key).read_bytes())
    except Exception as e:  # noqa: BLE001
        print(f"bad input: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    if spki_der(private_key.public_key()) != spki_der(public_key):
        print("private key does not match public key", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="mode", required=True)

    sign = sub.add_parser("sign")
    sign.add_argument("--alg", choices=sorted(SCHEMES), required=True)
    sign.add_argument("--out-dir", required=True)
    sign.add_argument("--payload-file", required=True)
    sign.add_argument("--payload-type", required=True)

    verify = sub.add_parser("verify")
    verify.add_argument("--envelope", required=True)
    verify.add_argument("--public-key", required=True)
    verify.add_argument(
        "--keyid-convention", choices=["stellaops", "sslib"], default="stellaops"
    )

    check = sub.add_parser("check-private")
    check.add_argument("--private-key", required=True)
    check.add_argument("--public-key", required=True)

    args = parser.parse_args()
    if args.mode == "sign":
        return cmd_sign(args)
    if args.mode == "verify":
        return cmd_verify(args)
    return cmd_check_private(args)


if __name__ == "__main__":
    sys.exit(main())
