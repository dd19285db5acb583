"""The emulated RouterOS router: values, interpreter, menus, User Manager, e-mail, clock and scheduler."""
