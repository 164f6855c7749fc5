// Package wire carries plugins.Model over go-plugin and gRPC: the
// handshake both sides agree on, the go-plugin plugin that serves a Model
// and the client that calls one, and the conversions between the plugins
// types and the generated protobuf messages. The SDK and the host both use
// it; nothing outside plugins/ does.
package wire

import (
	"context"
	"errors"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kgmem/kgmem/plugins"
	pb "github.com/kgmem/kgmem/plugins/internal/modelpb"
)

// PluginName is the key of the model in go-plugin's plugin set.
const PluginName = "model"

// Handshake is the go-plugin handshake of a kgmem model. The cookie only
// keeps a model from being run by hand by mistake; it is not a secret.
func Handshake() goplugin.HandshakeConfig {
	return goplugin.HandshakeConfig{
		ProtocolVersion:  plugins.ProtocolVersion,
		MagicCookieKey:   "KGMEM_MODEL_PLUGIN",
		MagicCookieValue: "8c3e7f0a5b1d4e29a6f2c7b0d9e4a1f3",
	}
}

// Plugin is the go-plugin plugin of a Model, gRPC only. Impl is set on the
// model's side and nil on the host's.
type Plugin struct {
	goplugin.NetRPCUnsupportedPlugin
	Impl plugins.Model
}

var _ goplugin.GRPCPlugin = (*Plugin)(nil)

// GRPCServer registers the Model service.
func (p *Plugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterModelServer(s, &server{impl: p.Impl})
	return nil
}

// GRPCClient returns a *Client.
func (p *Plugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return &Client{c: pb.NewModelClient(c)}, nil
}

// server adapts a plugins.Model to the generated service. Learn falls back
// to UNIMPLEMENTED through the embedded server when the model is not a
// plugins.Learner.
type server struct {
	pb.UnimplementedModelServer
	impl plugins.Model
}

func (s *server) Describe(ctx context.Context, req *pb.DescribeRequest) (*pb.DescribeResponse, error) {
	d, err := s.impl.Describe(ctx, &plugins.DescribeRequest{})
	if err != nil {
		return nil, toStatus(err)
	}
	if d == nil {
		return nil, status.Error(codes.Internal, "model returned no description")
	}
	return DescribeToPB(d), nil
}

func (s *server) Translate(ctx context.Context, req *pb.TranslateRequest) (*pb.TranslateResponse, error) {
	resp, err := s.impl.Translate(ctx, TranslateRequestFromPB(req))
	if err != nil {
		return nil, toStatus(err)
	}
	if resp == nil {
		return nil, status.Error(codes.Internal, "model returned no response")
	}
	return TranslateResponseToPB(resp), nil
}

func (s *server) Learn(ctx context.Context, req *pb.LearnRequest) (*pb.LearnResponse, error) {
	l, ok := s.impl.(plugins.Learner)
	if !ok {
		return s.UnimplementedModelServer.Learn(ctx, req)
	}
	r := &plugins.LearnRequest{SourceLang: req.GetSourceLang(), TargetLang: req.GetTargetLang()}
	for _, p := range req.GetPairs() {
		r.Pairs = append(r.Pairs, plugins.TranslationPair{Source: p.GetSource(), Target: p.GetTarget(), Origin: p.GetOrigin()})
	}
	resp, err := l.Learn(ctx, r)
	if err != nil {
		return nil, toStatus(err)
	}
	if resp == nil {
		resp = &plugins.LearnResponse{}
	}
	return &pb.LearnResponse{Accepted: int32(resp.Accepted)}, nil
}

// toStatus keeps context errors recognisable on the other side.
func toStatus(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	case errors.Is(err, plugins.ErrUnimplemented):
		return status.Error(codes.Unimplemented, err.Error())
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Unknown, err.Error())
}

// Client calls a model over gRPC. It is safe for concurrent use.
type Client struct {
	c pb.ModelClient
}

var _ plugins.Model = (*Client)(nil)
var _ plugins.Learner = (*Client)(nil)

// Describe calls the model's Describe.
func (c *Client) Describe(ctx context.Context, _ *plugins.DescribeRequest) (*plugins.DescribeResponse, error) {
	resp, err := c.c.Describe(ctx, &pb.DescribeRequest{})
	if err != nil {
		return nil, err
	}
	return DescribeFromPB(resp), nil
}

// Translate calls the model's Translate.
func (c *Client) Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp, err := c.c.Translate(ctx, TranslateRequestToPB(req))
	if err != nil {
		return nil, err
	}
	return TranslateResponseFromPB(resp), nil
}

// Learn calls the model's Learn; plugins.ErrUnimplemented when it has none.
func (c *Client) Learn(ctx context.Context, req *plugins.LearnRequest) (*plugins.LearnResponse, error) {
	r := &pb.LearnRequest{SourceLang: req.SourceLang, TargetLang: req.TargetLang}
	for _, p := range req.Pairs {
		r.Pairs = append(r.Pairs, &pb.TranslationPair{Source: p.Source, Target: p.Target, Origin: p.Origin})
	}
	resp, err := c.c.Learn(ctx, r)
	if status.Code(err) == codes.Unimplemented {
		return nil, plugins.ErrUnimplemented
	}
	if err != nil {
		return nil, err
	}
	return &plugins.LearnResponse{Accepted: int(resp.GetAccepted())}, nil
}
