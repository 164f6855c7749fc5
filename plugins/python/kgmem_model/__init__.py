"""kgmem_model: write a kgmem translation model in Python.

Subclass Model, implement describe() and translate(), and call serve():

    from kgmem_model import Model, serve, pb

    class Upper(Model):
        def describe(self, request, context):
            return pb.DescribeResponse(name="upper", any_pair=True)

        def translate(self, request, context):
            return pb.TranslateResponse(results=[
                pb.Result(id=it.id, translation=it.source.upper())
                for it in request.items])

    if __name__ == "__main__":
        serve(Upper())

Requests and responses are the protobuf messages of
proto/kgmem/model/v1/model.proto (module kgmem_model.model_pb2, also
exported as pb). kgmem starts the model as a subprocess with HashiCorp
go-plugin: serve() answers the handshake on stdout, so the model must not
print to stdout (it is redirected to stderr after the handshake); what it
writes to stderr goes to kgmem's log. Needs Debian's python3-grpcio,
python3-protobuf and python3-cryptography.
"""

from .server import Model, serve, PROTOCOL_VERSION  # noqa: F401
from . import model_pb2 as pb  # noqa: F401

__all__ = ["Model", "serve", "pb", "PROTOCOL_VERSION"]
