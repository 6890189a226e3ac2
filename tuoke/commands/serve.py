"""`tuoke serve`: the web page for marketing teams and RMs (tuoke/web), on the published warehouse."""

from __future__ import annotations

import ipaddress

import typer

from kernel.errors import UserError

DEFAULT_PORT = 8800


def serve_url(host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> str:
    return f"http://{host}:{port}/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="TCP port."),
    trusted_header: str = typer.Option(
        None, "--trusted-header",
        help="Take the user name from this header set by the bank's SSO reverse proxy (e.g. X-Remote-User). "
             "Only behind that proxy: anyone who reaches the port directly could set it."),
    insecure_cookies: bool = typer.Option(
        False, "--insecure-cookies",
        help="Send the session cookie over plain http too (development off localhost only; TLS normally "
             "ends at the bank's proxy in front of tuoke)."),
    hash_password: bool = typer.Option(False, "--hash-password",
                                       help="Read a password from the prompt, print its argon2 hash for "
                                            "configs/users.yaml, and exit."),
) -> None:
    """Serve the prospect lists, prospect pages, branch dashboard and dispositions on HTTP."""
    if hash_password:
        from tuoke.web.auth import hash_password as make_hash

        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        typer.echo(make_hash(password))
        return
    if not 0 < port < 65536:
        raise UserError(f"--port must be between 1 and 65535 (got {port})")
    import uvicorn

    from tuoke.web.app import WebSettings, create_app

    settings = WebSettings.from_configs(trusted_header=trusted_header,
                                        secure_cookies=not insecure_cookies)
    if not settings.paths.published_db.exists():
        raise UserError(f"no published warehouse at {settings.paths.published_db}; run `tuoke demo` or `tuoke build` first")
    if not _is_loopback(host) and insecure_cookies:
        typer.echo("warning: session cookies over plain http on a network address", err=True)
    app = create_app(settings)
    typer.echo(f"tuoke serve: {serve_url(host, port)}  (warehouse {settings.paths.published_db})")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=bool(trusted_header))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
