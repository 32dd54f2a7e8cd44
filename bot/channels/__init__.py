"""Input and output channels: web chat (socket.io), SMS and WhatsApp (Twilio), REST (dev only)."""
