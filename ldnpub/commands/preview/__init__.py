"""Previewing: a local web page of the catalog that rebuilds and updates itself on save.

The server (Starlette on uvicorn, bound to 127.0.0.1) runs the incremental build in a watch
thread; after each build it renders the changed PDFs' pages to PNG (pypdfium2), runs the
content check, and tells open pages through server-sent events, which then fetch themselves
again. A content error is shown on the page with its file and line; the last good pages stay.
It serves only the output folder's PDFs, their page images and its own assets.
"""
