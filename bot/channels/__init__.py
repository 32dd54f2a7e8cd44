"""Input and output channels: web chat (socket.io) and, later, SMS."""
