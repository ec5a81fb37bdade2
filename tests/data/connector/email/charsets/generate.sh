#!/usr/bin/env bash
# Regenerates the charset fixtures: one message per charset, written in UTF-8
# here and converted with iconv (glibc), so each .eml holds the real bytes a
# mailer in that charset sends. The subject is an RFC 2047 B word in the same
# charset; the body is 8bit, base64 or 7bit as that charset's mailers send it.
# tests/connector/email_charset_test.cpp checks that every file reads back to
# the UTF-8 text below. Run from this folder; commit the .eml files.
set -euo pipefail
cd "$(dirname "$0")"

# name  label-in-mail  iconv-encoding  transfer-encoding  subject  body
write() {
  local file=$1 label=$2 enc=$3 cte=$4 subject=$5 body=$6
  local subj_b64 body_bytes
  subj_b64=$(printf '%s' "$subject" | iconv -f UTF-8 -t "$enc" | base64 -w0)
  {
    printf 'From: customer@example.com\n'
    printf 'Subject: =?%s?B?%s?=\n' "$label" "$subj_b64"
    printf 'Date: Mon, 07 Sep 2026 09:00:00 +0000\n'
    printf 'Message-ID: <%s@charsets.example>\n' "${file%.eml}"
    printf 'MIME-Version: 1.0\n'
    printf 'Content-Type: text/plain; charset="%s"\n' "$label"
    printf 'Content-Transfer-Encoding: %s\n\n' "$cte"
    if [ "$cte" = base64 ]; then
      printf '%s\n' "$body" | iconv -f UTF-8 -t "$enc" | base64 -w 76
    else
      printf '%s\n' "$body" | iconv -f UTF-8 -t "$enc"
    fi
  } > "$file"
}

write iso-8859-2.eml   iso-8859-2   ISO-8859-2   8bit   'Reklamacja zamówienia' \
  'Zamówienie dotarło uszkodzone, proszę o zwrot pieniędzy.'
write windows-1250.eml windows-1250 CP1250       8bit   'Ztracený balík' \
  'Kurýr nechal balík před dveřmi a někdo ho ukradl.'
write iso-8859-7.eml   iso-8859-7   ISO-8859-7   8bit   'Καθυστέρηση παραγγελίας' \
  'Η παραγγελία μου καθυστερεί δύο εβδομάδες.'
write windows-1251.eml windows-1251 CP1251       8bit   'Спасибо за помощь' \
  'Оператор был очень вежлив и быстро решил проблему.'
write koi8-r.eml       koi8-r       KOI8-R       8bit   'Возврат денег' \
  'Я жду возврата денег уже месяц.'
# Windows mailers label CP932 text "shift_jis"; ① exists only in CP932.
write shift_jis.eml    shift_jis    CP932        base64 '配送の遅延について' \
  '注文した商品がまだ届いていません。①番の問い合わせです。'
write iso-2022-jp.eml  iso-2022-jp  ISO-2022-JP  7bit   '返品について' \
  '返品の手続きを教えてください。'
# Chinese mailers label GBK text "gb2312"; 镕 exists only in GBK.
write gb2312.eml       gb2312       GBK          base64 '退款问题' \
  '退款什么时候到账？客服朱镕很耐心。'
# GB18030 encodes every code point; the emoji takes four bytes.
write gb18030.eml      gb18030      GB18030      base64 '快递' \
  '快递员很专业😀'
write big5.eml         big5         BIG5         base64 '客服服務' \
  '客服人員非常有禮貌，問題很快就解決了。'
# Korean mailers label CP949 text "ks_c_5601-1987".
write ks_c_5601-1987.eml ks_c_5601-1987 CP949    base64 '배송 문의' \
  '배송이 너무 늦어요. 똠방각하.'
