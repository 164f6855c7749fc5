package server

// tmserverRoutes registers the routes of translate-toolkit's tmserver (/tmserver/…).
func (s *Server) tmserverRoutes() {}
