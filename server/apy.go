package server

// apyRoutes registers the routes of Apertium APy (/listPairs, /translate?langpair=…).
func (s *Server) apyRoutes() {}
