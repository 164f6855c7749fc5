package server

// libreRoutes registers the routes of LibreTranslate (/translate, /languages, /translate_file…).
func (s *Server) libreRoutes() {}
