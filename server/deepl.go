package server

// deeplRoutes registers the routes of DeepL API v2 (/v2/…).
func (s *Server) deeplRoutes() {}
