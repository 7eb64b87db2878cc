"""Spec: Markdown may carry raw HTML and links, but only inert HTML reaches a page."""

from hub.content.markup import render


def test_script_tags_and_handlers_are_removed():
    html = render('Hei <script>alert(1)</script><img src=x onerror="alert(2)"> <b onclick="x()">fet</b>')
    assert "<script" not in html and "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "<b>fet</b>" in html


def test_javascript_and_data_links_are_neutralised():
    html = render("[klikk](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
                  '<a href="JaVaScRiPt:alert(1)">x</a> [ok](https://example.no)')
    assert "javascript" not in html.lower() and "data:" not in html
    assert '<a href="https://example.no" rel="noopener noreferrer">ok</a>' in html


def test_svg_and_iframes_are_dropped():
    html = render('<svg onload="alert(1)"><circle/></svg><iframe src="https://evil.example"></iframe>tekst')
    assert "<svg" not in html and "<iframe" not in html and "tekst" in html


def test_h1_in_body_becomes_h2():
    assert render("# Overskrift") == "<h2>Overskrift</h2>"


def test_pictures_come_only_from_the_portals_own_media_folder():
    """No tracker pixel or picture from another host in a page; uploaded pictures keep their alt text."""
    html = render('![Kart](/media/kart.png "Kartet") ![Logo](https://sporing.example/p.png) '
                  '<img src="//sporing.example/p.png" alt="x"> <img src="/media/../hemmelig.png" alt="y">')
    assert html.count("<img") == 1 and 'src="/media/kart.png"' in html and 'alt="Kart"' in html
