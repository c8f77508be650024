"""执法文书 (enforcement documents): definitions as data, placeholders, fonts, GB/T 9704 renderer.

Public API (see docs/forms.md):

* ``forms.loader``: ``load_definition(path)``, ``bundled_definitions()``, ``get_definition(type)``,
  ``DefinitionError``;
* ``forms.context``: ``SCHEMA``, ``validate_context(ctx)``;
* ``forms.render``: ``render(definition, context, number=, watermark=, copies=)``,
  ``render_many(requests)``, ``content_digest(...)``, ``parse_qr(text)``;
* ``forms.fonts``: ``FontSet``, ``default_fontset()``, ``MissingGlyph``, ``coverage_report()``,
  ``resolved_font_files()`` (for Qt registration in ui/);
* ``forms.numbering``: ``format_number``, ``is_provisional``, ``require_final``;
* ``forms.casefile``: ``build_casefile(context, documents)``.

This package imports the core (``lishui_desk``) only — never Qt, ``ui`` or ``sync``.
"""
