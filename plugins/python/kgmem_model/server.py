"""The go-plugin server side of a kgmem model, for Python.

go-plugin's protocol, as a Go plugin speaks it: check the magic cookie in
the environment; serve gRPC with mutual TLS (the host's certificate is in
PLUGIN_CLIENT_CERT; ours goes back in the handshake line); serve the gRPC
health service (the host checks service "plugin"), plugin.GRPCController
(Shutdown) and plugin.GRPCStdio; print
CORE|APP|NETWORK|ADDRESS|grpc|CERT on stdout; exit when the host goes.
"""

import base64
import datetime
import os
import sys
import threading
import time
from concurrent import futures

import grpc

from . import model_pb2 as pb

PROTOCOL_VERSION = 1
CORE_PROTOCOL_VERSION = 1
MAGIC_COOKIE_KEY = "KGMEM_MODEL_PLUGIN"
MAGIC_COOKIE_VALUE = "8c3e7f0a5b1d4e29a6f2c7b0d9e4a1f3"


class Model:
    """A translation model. Override describe() and translate(); learn()
    is optional (the default answers UNIMPLEMENTED). Methods get the
    protobuf request and the gRPC context (deadline: context.time_remaining())
    and may be called from several threads at once."""

    def describe(self, request, context):
        raise NotImplementedError

    def translate(self, request, context):
        raise NotImplementedError

    def learn(self, request, context):
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "this model does not learn")


def _unary(fn, req_type, resp_type):
    return grpc.unary_unary_rpc_method_handler(
        fn, request_deserializer=req_type.FromString,
        response_serializer=resp_type.SerializeToString)


def _raw_unary(fn):
    # For go-plugin's services, whose messages are tiny: bytes in, bytes out.
    return grpc.unary_unary_rpc_method_handler(
        fn, request_deserializer=lambda b: b, response_serializer=lambda b: b)


def _model_handler(model):
    def guard(method, check=None):
        def call(request, context):
            try:
                resp = method(request, context)
            except NotImplementedError:
                context.abort(grpc.StatusCode.UNIMPLEMENTED, "not implemented")
            if check is not None:
                check(request, resp)
            return resp
        return call

    return grpc.method_handlers_generic_handler("kgmem.model.v1.Model", {
        "Describe": _unary(guard(model.describe), pb.DescribeRequest, pb.DescribeResponse),
        "Translate": _unary(guard(model.translate), pb.TranslateRequest, pb.TranslateResponse),
        "Learn": _unary(guard(model.learn), pb.LearnRequest, pb.LearnResponse),
    })


def _plugin_handlers(stop):
    # grpc.health.v1.HealthCheckResponse{status: SERVING} is field 1 = 1.
    serving = b"\x08\x01"

    def check(request, context):
        return serving

    def shutdown(request, context):
        threading.Timer(0.05, stop.set).start()
        return b""

    def stdio(request, context):
        # Nothing is forwarded: a Python model's stderr is the process's
        # own, which the host reads directly. Keep the stream open (it
        # holds one worker thread) until the host goes.
        while not stop.is_set() and context.is_active():
            stop.wait(0.5)
        return
        yield

    stdio_handler = grpc.unary_stream_rpc_method_handler(
        stdio, request_deserializer=lambda b: b, response_serializer=lambda b: b)
    return [
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": _raw_unary(check)}),
        grpc.method_handlers_generic_handler("plugin.GRPCController", {"Shutdown": _raw_unary(shutdown)}),
        grpc.method_handlers_generic_handler("plugin.GRPCStdio", {"StreamStdio": stdio_handler}),
    ]


def _server_cert():
    """A one-time self-signed certificate for localhost, as go-plugin's
    AutoMTLS makes: (cert PEM, key PEM, cert DER)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID

    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "kgmem model")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(seconds=30))
            .not_valid_after(now + datetime.timedelta(days=365 * 10))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=True,
                                         content_commitment=False, data_encipherment=False, key_agreement=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert_pem, key_pem, cert.public_bytes(serialization.Encoding.DER)


def _watch_parent(stop, every=0.2):
    """Exit when the host is gone (the parent changed: we were adopted),
    so that a killed kgmem leaves no model behind."""
    ppid = os.getppid()
    while not stop.wait(every):
        if os.getppid() != ppid:
            os._exit(3)


def serve(model, max_workers=8):
    """Serve model to the kgmem that started this process; return when
    kgmem shuts it down. Run by hand, print what this is and exit 1."""
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        sys.stderr.write("This is a kgmem translation model. kgmem starts it; it is not meant to be "
                         "run directly. Put it in kgmem's plugin directory as kgmem-model-NAME and "
                         "run `kgmem plugins trust PATH`.\n")
        sys.exit(1)
    versions = os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "")
    if versions and str(PROTOCOL_VERSION) not in versions.split(","):
        sys.stderr.write("kgmem speaks model protocol %s; this model speaks %d\n" % (versions, PROTOCOL_VERSION))

    stop = threading.Event()
    threading.Thread(target=_watch_parent, args=(stop,), daemon=True).start()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers))
    server.add_generic_rpc_handlers([_model_handler(model)] + _plugin_handlers(stop))
    cert_field = ""
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT")
    if client_cert:
        cert_pem, key_pem, der = _server_cert()
        creds = grpc.ssl_server_credentials([(key_pem, cert_pem)], root_certificates=client_cert.encode(),
                                            require_client_auth=True)
        port = server.add_secure_port("127.0.0.1:0", creds)
        cert_field = base64.b64encode(der).decode().rstrip("=")
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()

    sys.stdout.write("%d|%d|tcp|127.0.0.1:%d|grpc|%s\n" % (CORE_PROTOCOL_VERSION, PROTOCOL_VERSION, port, cert_field))
    sys.stdout.flush()
    # Anything printed later must not reach the host's handshake reader.
    sys.stdout = sys.stderr

    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        # The host handles Ctrl-C; it will shut us down.
        while not stop.wait(1):
            pass
    server.stop(grace=1).wait()
