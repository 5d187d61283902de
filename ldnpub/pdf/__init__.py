"""PDF: HTML -> a tagged, finished PDF with WeasyPrint; veraPDF judges it."""
