"""Placeholder until the chat issue lands: mounts nothing."""


def mount_chat(app, get_engine, settings):
    return app
