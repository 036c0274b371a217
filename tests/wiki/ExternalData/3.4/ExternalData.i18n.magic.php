<?php
/**
 *
 */

$magicWords = [];

/** English (English) */
$magicWords['en'] = [
	'get_web_data' => [ 0, 'get_web_data' ],
	'get_file_data' => [ 0, 'get_file_data' ],
	'get_soap_data' => [ 0, 'get_soap_data' ],
	'get_ldap_data' => [ 0, 'get_ldap_data' ],
	'get_db_data' => [ 0, 'get_db_data' ],
	'get_program_data' => [ 0, 'get_program_data' ],
	'get_inline_data' => [ 0, 'get_inline_data' ],
	'get_external_data' => [ 0, 'get_external_data' ],
	'external_value' => [ 0, 'external_value' ],
	'for_external_table' => [ 0, 'for_external_table' ],
	'display_external_table' => [ 0, 'display_external_table' ],
	'format_external_table' => [ 0, 'format_external_table' ],
	'clear_external_data' => [ 0, 'clear_external_data' ],
];

/** Arabic (العربية) */
$magicWords['ar'] = [
	'get_web_data' => [ 0, 'عرض_بيانات_الويب' ],
	'get_file_data' => [ 0, 'عرض_بيانات_الملف' ],
	'get_soap_data' => [ 0, 'عرض_بيانات_السوب' ],
	'get_ldap_data' => [ 0, 'عرض_بيانات_لداب' ],
	'get_db_data' => [ 0, 'عرض_بيانات_قب' ],
	'external_value' => [ 0, 'قيمة_خارجية' ],
	'for_external_table' => [ 0, 'لجدول_خارجي' ],
	'display_external_table' => [ 0, 'عرض_جدول_خارجي' ],
	'clear_external_data' => [ 0, 'إزالة_بيانات_خارجية' ],
];

/** Egyptian Arabic (مصرى) */
$magicWords['arz'] = [
	'get_web_data' => [ 0, 'عرض_بيانات_الويب' ],
	'get_ldap_data' => [ 0, 'عرض_بيانات_لداب' ],
	'get_db_data' => [ 0, 'عرض_بيانات_قب' ],
	'external_value' => [ 0, 'قيمه_خارجيه' ],
	'for_external_table' => [ 0, 'لجدول_خارجي' ],
	'display_external_table' => [ 0, 'عرض_جدول_خارجى' ],
	'clear_external_data' => [ 0, 'مسح_بيانات_خارجيه' ],
];

/** Chechen (нохчийн) */
$magicWords['ce'] = [
	'get_ldap_data' => [ 0, 'схьаэца_хаамаш_ldap', 'получить_данные_ldap' ],
	'get_db_data' => [ 0, 'схьаэца_хаамаш_db', 'получить_данные_db' ],
	'external_value' => [ 0, 'архьара_дозалла', 'внешнее_значение' ],
	'for_external_table' => [ 0, 'оцу_архьара_тебалецlаш', 'для_внешней_таблицы' ],
];

/** German (Deutsch) */
$magicWords['de'] = [
	'get_web_data' => [ 0, 'hole_webdaten' ],
	'get_ldap_data' => [ 0, 'hole_ldapdaten' ],
	'get_db_data' => [ 0, 'hole_dbdaten' ],
	'external_value' => [ 0, 'externer_wert' ],
	'for_external_table' => [ 0, 'für_externe_tabelle' ],
	'display_external_table' => [ 0, 'zeige_externe_tabelle' ],
	'clear_external_data' => [ 0, 'leere_externe_tabelle' ],
];

/** Greek (Ελληνικά) */
$magicWords['el'] = [
	'get_web_data' => [ 0, 'λήψη_δεδομένων_ιστού' ],
	'get_ldap_data' => [ 0, 'λήψη_δεδομένων_ldap' ],
	'get_db_data' => [ 0, 'λήψη_δεδομένων_βδ' ],
	'external_value' => [ 0, 'εξωτερική_τιμή' ],
	'for_external_table' => [ 0, 'για_εξωτερικό_πίνακα' ],
	'display_external_table' => [ 0, 'προβολή_εξωτερικού_πίνακα' ],
	'clear_external_data' => [ 0, 'εκκαθάριση_εξωτερικών_δεδομένων' ],
];

/** Spanish (español) */
$magicWords['es'] = [
	'get_db_data' => [ 0, 'obtener_datos_db' ],
	'external_value' => [ 0, 'valor_externo' ],
];

/** Persian (فارسی) */
$magicWords['fa'] = [
	'get_web_data' => [ 0, 'گرفتن_داده_وب' ],
];

/** Western Frisian (Frysk) */
$magicWords['fy'] = [
	'external_value' => [ 0, 'eksterne_wearde' ],
];

/** Japanese (日本語) */
$magicWords['ja'] = [
	'get_ldap_data' => [ 0, 'ldapデータ取得' ],
	'get_db_data' => [ 0, 'dbデータ取得' ],
	'external_value' => [ 0, '外部値' ],
	'for_external_table' => [ 0, '外部テーブル用' ],
];

/** Korean (한국어) */
$magicWords['ko'] = [
	'get_web_data' => [ 0, '웹_데이터_얻기' ],
	'get_file_data' => [ 0, '파일_데이터_얻기' ],
	'get_soap_data' => [ 0, 'soap_데이터_얻기' ],
	'get_ldap_data' => [ 0, 'ldap_데이터_얻기' ],
	'get_db_data' => [ 0, 'db_데이터_얻기' ],
	'external_value' => [ 0, '바깥_값' ],
	'for_external_table' => [ 0, '바깥_표_대해' ],
	'display_external_table' => [ 0, '바깥_표_보기' ],
	'clear_external_data' => [ 0, '바깥_데이터_지우기' ],
];

/** Macedonian (македонски) */
$magicWords['mk'] = [
	'get_web_data' => [ 0, 'преземи_семрежни_податоци' ],
	'get_file_data' => [ 0, 'преземи_податотечни_податоци' ],
	'get_soap_data' => [ 0, 'преземи_soap_податоци' ],
	'get_ldap_data' => [ 0, 'преземи_ldap_податоци' ],
	'get_db_data' => [ 0, 'преземи_db_податоци' ],
	'external_value' => [ 0, 'надворешна_вредност' ],
	'for_external_table' => [ 0, 'за_надворешна_табела' ],
	'display_external_table' => [ 0, 'прикажи_надворешна_табела' ],
	'clear_external_data' => [ 0, 'исчисти_надворешни_податоци' ],
];

/** Malayalam (മലയാളം) */
$magicWords['ml'] = [
	'get_web_data' => [ 0, 'വെബ്_വിവരങ്ങൾ_എടുക്കുക' ],
	'external_value' => [ 0, 'ബാഹ്യ_മൂല്യം' ],
];

/** Marathi (मराठी) */
$magicWords['mr'] = [
	'get_ldap_data' => [ 0, 'मिळवा__एलडॅप_विदा' ],
	'for_external_table' => [ 0, 'बाह्य_सारणी_करिता' ],
];

/** Norwegian Bokmål (norsk bokmål) */
$magicWords['nb'] = [
	'get_web_data' => [ 0, 'hent_webdata' ],
	'get_file_data' => [ 0, 'hent_fildata' ],
	'get_soap_data' => [ 0, 'hent_soap-data' ],
	'get_ldap_data' => [ 0, 'hent_ldap-data' ],
	'get_db_data' => [ 0, 'hent_db-data' ],
	'get_program_data' => [ 0, 'hent_programdata' ],
	'get_inline_data' => [ 0, 'hent_inline-data' ],
	'get_external_data' => [ 0, 'hent_eksterne_data' ],
	'external_value' => [ 0, 'ekstern_verdi' ],
	'for_external_table' => [ 0, 'for_ekstern_tabell' ],
	'display_external_table' => [ 0, 'vis_ekstern_tabell' ],
	'format_external_table' => [ 0, 'formater_ekstern_tabell' ],
	'clear_external_data' => [ 0, 'tøm_ekstern_tabell' ],
];

/** Low Saxon (Netherlands) (Nedersaksies) */
$magicWords['nds-nl'] = [
	'get_web_data' => [ 0, 'webgegevens_ophaolen' ],
	'get_ldap_data' => [ 0, 'ldap-gegevens_ophaolen' ],
	'get_db_data' => [ 0, 'db-gegevens_ophaolen' ],
	'external_value' => [ 0, 'externe_weerde' ],
	'for_external_table' => [ 0, 'veur_externe_tabel' ],
];

/** Dutch (Nederlands) */
$magicWords['nl'] = [
	'get_web_data' => [ 0, 'webgegevens_ophalen' ],
	'get_file_data' => [ 0, 'bestandsgegevens_ophalen' ],
	'get_soap_data' => [ 0, 'soapgegevens_ophalen' ],
	'get_ldap_data' => [ 0, 'ldap_gegevens_ophalen' ],
	'get_db_data' => [ 0, 'db_gegevens_ophalen' ],
	'external_value' => [ 0, 'externe_waarde' ],
	'for_external_table' => [ 0, 'voor_externe_tabel' ],
	'display_external_table' => [ 0, 'externe_tabel_weergeven' ],
	'clear_external_data' => [ 0, 'externe_gegevens_opschonen' ],
];

/** Norwegian Nynorsk (norsk nynorsk) */
$magicWords['nn'] = [
	'get_web_data' => [ 0, 'hent_webdata' ],
	'get_file_data' => [ 0, 'hent_fildata' ],
	'get_soap_data' => [ 0, 'hent_soap-data' ],
	'get_ldap_data' => [ 0, 'hent_ldap-data' ],
	'get_db_data' => [ 0, 'hent_db-data' ],
	'get_program_data' => [ 0, 'hent_programdata' ],
	'get_inline_data' => [ 0, 'hent_inline-data' ],
	'get_external_data' => [ 0, 'hent_eksterne_data' ],
	'external_value' => [ 0, 'ekstern_verdi' ],
	'for_external_table' => [ 0, 'for_ekstern_tabell' ],
	'display_external_table' => [ 0, 'syn_ekstern_tabell' ],
	'format_external_table' => [ 0, 'formater_ekstern_tabell' ],
	'clear_external_data' => [ 0, 'tøm_ekstern_tabell' ],
];

/** Russian (русский) */
$magicWords['ru'] = [
	'get_ldap_data' => [ 0, 'получить_данные_ldap' ],
	'get_db_data' => [ 0, 'получить_данные_db' ],
	'get_web_data' => [ 0, 'получить_данные_сети' ],
	'get_file_data' => [ 0, 'получить_данные_файла' ],
	'get_soap_data' => [ 0, 'получить_данные_soap' ],
	'get_program_data' => [ 0, 'получить_данные_программы' ],
	'get_eternal_data' => [ 0, 'получить_внешние_данные' ],
	'display_external_table' => [ 0, 'показать внешнюю_таблицу' ],
	'format_external_table' => [ 0, 'форматировать_внешнюю_таблицу' ],
	'clear_external_data' => [ 0, 'очистить_внешнюю_таблицу' ],
	'external_value' => [ 0, 'внешнее_значение' ],
	'for_external_table' => [ 0, 'для_внешней_таблицы' ],
];

/** Serbian (Cyrillic script) (српски (ћирилица)‎) */
$magicWords['sr-ec'] = [
	'get_web_data' => [ 0, 'добави_веб_податке' ],
	'get_ldap_data' => [ 0, 'добави_лдап_податке' ],
	'get_db_data' => [ 0, 'добави_податке_базе' ],
	'external_value' => [ 0, 'спољна_вредност' ],
	'for_external_table' => [ 0, 'за_спољну_табелу' ],
];

/** Serbian (Latin script) (srpski (latinica)‎) */
$magicWords['sr-el'] = [
	'get_web_data' => [ 0, 'dobavi_mrežne_podatke' ],
	'get_ldap_data' => [ 0, 'dobavi_ldap_podatke' ],
	'get_db_data' => [ 0, 'dobavi_podatke_baze' ],
	'external_value' => [ 0, 'spoljna_vrednost' ],
	'for_external_table' => [ 0, 'za_spoljnu_tabelu' ],
	'clear_external_data' => [ 0, 'očisti_spoljne_podatke' ],
];

/** Ukrainian (українська) */
$magicWords['uk'] = [
	'get_ldap_data' => [ 0, 'отримати_дані_ldap' ],
	'get_db_data' => [ 0, 'отримати_дані_db' ],
	'external_value' => [ 0, 'зовнішнє_значення' ],
	'for_external_table' => [ 0, 'для_зовнішньої_таблиці' ],
];

/** Simplified Chinese (中文（简体）‎) */
$magicWords['zh-hans'] = [
	'get_web_data' => [ 0, '获取网络数据' ],
	'get_file_data' => [ 0, '获取文件数据' ],
	'get_soap_data' => [ 0, '获取soap数据' ],
	'get_ldap_data' => [ 0, '获取ldap数据' ],
	'get_db_data' => [ 0, '获取数据库数据' ],
	'external_value' => [ 0, '外部取值' ],
	'for_external_table' => [ 0, '用于外部表单' ],
	'display_external_table' => [ 0, '显示外部表单' ],
	'clear_external_data' => [ 0, '清空外部数据' ],
];

/** Traditional Chinese (中文（繁體）‎) */
$magicWords['zh-hant'] = [
	'get_web_data' => [ 0, '取得網路數據' ],
	'get_file_data' => [ 0, '取得檔案數據' ],
	'get_soap_data' => [ 0, '取得soap數據' ],
	'get_ldap_data' => [ 0, '取得ldap數據' ],
	'get_db_data' => [ 0, '取得資料庫數據' ],
	'for_external_table' => [ 0, '用於外部表單' ],
	'display_external_table' => [ 0, '顯示外部表單' ],
	'clear_external_data' => [ 0, '清空外部數據' ],
];
