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


def trusted_proxies(host: str, trusted_header: str | None, given: list[str]) -> tuple[str, ...]:
    """The proxy addresses whose trusted header counts; refuses a header mode anyone could forge."""
    from tuoke.web.proxies import LOOPBACK, parse_networks

    parse_networks(given)  # a typo is one line naming it
    if not trusted_header:
        return tuple(given)
    if given:
        return tuple(given)
    if not _is_loopback(host):
        raise UserError(f"--trusted-header on {host} needs --trusted-proxy ADDRESS (the SSO proxy's address): "
                        "without it anyone who reaches the port could sign in as anyone")
    return LOOPBACK


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(DEFAULT_PORT, "--port", help="TCP port."),
    trusted_header: str = typer.Option(
        None, "--trusted-header",
        help="Take the user name from this header set by the bank's SSO reverse proxy (e.g. X-Remote-User), "
             "only on requests from a --trusted-proxy address."),
    trusted_proxy: list[str] = typer.Option(
        None, "--trusted-proxy",
        help="Address or network of the SSO proxy (repeat for several). Needed with --trusted-header on a "
             "non-loopback --host; on loopback the default is the loopback addresses."),
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
    proxies = trusted_proxies(host, trusted_header, trusted_proxy or [])
    import uvicorn

    from tuoke.web.app import WebSettings, create_app

    settings = WebSettings.from_configs(trusted_header=trusted_header, trusted_proxies=proxies,
                                        secure_cookies=not insecure_cookies)
    if not settings.paths.published_db.exists():
        raise UserError(f"no published warehouse at {settings.paths.published_db}; run `tuoke demo` or `tuoke build` first")
    if not _is_loopback(host) and insecure_cookies:
        typer.echo("warning: session cookies over plain http on a network address", err=True)
    app = create_app(settings)
    typer.echo(f"tuoke serve: {serve_url(host, port)}  (warehouse {settings.paths.published_db})")
    # X-Forwarded-For is read by the app, from trusted proxies only (tuoke/web/proxies.py): uvicorn's
    # own rewrite would trust any local peer and hide the address the proxy check needs
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
