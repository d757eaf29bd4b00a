"""Every sentence the bot says to people, Korean first, with an English locale.

Kept in one place so a county can reword the bot without reading code, and so a test can
check that both locales say the same things.
"""

from __future__ import annotations

import string
from typing import Any

KO: dict[str, str] = {
    # --- answering -------------------------------------------------------------------------
    "faq.answer": "{answer}",
    "faq.answer_about": "'{question}'에 대한 안내입니다.\n{answer}",
    "faq.offer": (
        "혹시 아래 내용 중에 찾으시는 것이 있나요? 번호나 제목을 눌러 주세요. "
        "찾으시는 내용이 없으면 '{none}' 버튼을 눌러 주세요. 담당자에게 전달하겠습니다.\n{choices}"
    ),
    "faq.offer_none": "없음",
    "faq.offer_one": (
        "혹시 '{question}'에 대한 안내를 찾으시나요? 맞으면 제목을 눌러 주세요. 아니면 "
        "'{none}' 버튼을 눌러 주세요. 담당자에게 전달하겠습니다."
    ),
    "faq.not_it": "찾는 답이 아니에요",
    "faq.offer_range": (
        "1부터 {count}까지의 번호 중에서 골라 주세요. 찾으시는 내용이 없으면 '{none}' 버튼을 "
        "눌러 주세요."
    ),
    "faq.unknown": (
        "정확한 답을 드리기 어려워 담당자에게 전달했습니다 (접수번호 {receipt}). "
        "답변이 오면 이곳에 알려 드리겠습니다."
    ),
    "faq.held": ("담당자가 답변을 확인한 뒤 이곳에 알려 드리겠습니다 (접수번호 {receipt})."),
    "time.day": "{month}월 {day}일({weekday}) {time}",
    "time.today": "오늘 {time}",
    "time.weekdays": "월 화 수 목 금 토 일",
    # --- tickets: to residents ---------------------------------------------------------------
    "ticket.received": "접수되었습니다 (접수번호 {receipt}). 담당 부서에 전달했습니다.",
    "ticket.urgent": "담당자에게 바로 알렸습니다 (접수번호 {receipt}).",
    "ticket.after_hours": "지금은 근무 시간이 아니어서 {opens}부터 확인합니다.",
    "ticket.duplicate": (
        "같은 내용이 이미 접수되어 처리 중입니다 (접수번호 {receipt}). "
        "처리 결과를 함께 알려 드리겠습니다."
    ),
    "ticket.detail": "접수번호 {receipt}에 덧붙여 담당 부서에 전달했습니다.",
    "ticket.supported": (
        "건의 {receipt}에 공감하신 것을 기록했습니다. 검토 결과를 함께 알려 드리겠습니다."
    ),
    "ticket.last_reply": "최근 담당자 답변: {text}",
    "ticket.recheck": (
        "[접수번호 {receipt}] {status:으로} 처리된 민원입니다. 담당자에게 다시 확인해 달라고 "
        "전했습니다."
    ),
    "ticket.reply": "[접수번호 {receipt}] 담당자 답변입니다.\n{text}",
    "ticket.faq_answer": "[접수번호 {receipt}] 문의하신 '{question}'에 대한 안내입니다.\n{answer}",
    "ticket.resolved": "[접수번호 {receipt}] 처리가 완료되었습니다.\n{text}",
    "ticket.rejected": "[접수번호 {receipt}] 요청하신 내용은 처리가 어렵습니다.\n사유: {text}",
    "ticket.long_term": "[접수번호 {receipt}] 장기 과제로 검토하여 추진하겠습니다.\n{text}",
    "ticket.reopened": "[접수번호 {receipt}] 다시 처리하겠습니다.",
    "ticket.extended": "[접수번호 {receipt}] 처리 기간이 {due}까지 연장되었습니다.\n사유: {text}",
    "ticket.recounted": (
        "[접수번호 {receipt}] 군청 근무일이 바뀌어 연장된 처리 기한을 다시 셌습니다. "
        "새 처리 기한: {due}"
    ),
    "ticket.merged": (
        "[접수번호 {receipt}] 같은 내용의 민원(접수번호 {target})과 함께 처리합니다. "
        "처리 결과를 함께 알려 드리겠습니다."
    ),
    "ticket.status": "[접수번호 {receipt}] 현재 상태: {status} · 처리 기한 {due}",
    "ticket.status_denied": "본인이 접수한 민원이나 이 방의 공개 민원만 확인할 수 있습니다.",
    "ticket.not_found": "접수번호 {receipt}인 민원을 찾을 수 없습니다.",
    "ticket.erased_number": "[삭제된 번호]",
    "ticket.erased": "(개인정보 삭제 요청으로 지운 내용)",
    "person.erased": "(삭제된 이용자)",
    "pii.rrn_removed": (
        "주민등록번호는 채팅방에 남기지 마세요. 보내신 번호는 저장하지 않고 지웠습니다."
    ),
    "safety.urgent": (
        "위급하면 바로 112(경찰)나 119(구조·구급)에 전화하세요. 가정폭력·성폭력은 "
        "1366(여성긴급전화, 24시간), 마음이 힘드시면 109(자살예방상담, 24시간)에서 도움을 "
        "받을 수 있습니다. 담당자에게도 바로 알리겠습니다."
    ),
    # --- tickets: to officers ----------------------------------------------------------------
    "officer.new_ticket": (
        "[새 민원 {receipt}] {category} · {room}\n{text}\n"
        "처리 기한: {due} · 자세히: /ticket {receipt}"
    ),
    "officer.answer_missed": (
        "봇이 '{question}' 항목으로 답했지만 주민이 찾던 답이 아니라고 했습니다. "
        "맞는 항목이 있으면 /faq {receipt} 명령으로 알려 주세요."
    ),
    "officer.answer_missed_again": (
        "이 항목의 답이 이달 찾던 답이 아니라는 말을 들은 것은 {times}번째입니다 (/answers)."
    ),
    "officer.answer_held": (
        "답변 검토: 봇이 고른 답은 '{question}' 항목입니다. 맞으면 아래 버튼이나 "
        "/faq {receipt} {entry} 명령으로 보내 주세요. 다른 항목은 /faq {receipt}, "
        "직접 답하려면 /reply {receipt} 내용"
    ),
    "officer.send_held": "이 답 보내기 {receipt}",
    "officer.follower": (
        "[{receipt}] 같은 내용을 다른 주민도 알렸습니다 (함께 알림 {count}명).\n{text}"
    ),
    "officer.detail": "[{receipt}] 민원인이 덧붙인 내용입니다.\n{text}",
    "officer.asked_status": "[{receipt}] 민원인이 처리 상황을 물었습니다.\n{text}",
    "officer.recheck": (
        "[{receipt}] {status:으로} 처리된 민원에 민원인이 다시 알렸습니다. "
        "다시 처리하려면 /reopen {receipt}\n{text}"
    ),
    "officer.urgent": (
        "[긴급 {receipt}] 위험에 처한 주민이 있을 수 있습니다. "
        "바로 확인해 주세요: /ticket {receipt}"
    ),
    "officer.urgent_ticket": (
        "[긴급 {receipt}] 위험에 처한 주민이 있을 수 있습니다. 바로 확인해 주세요: "
        "/ticket {receipt}\n{category} · {room}\n{text}\n처리 기한: {due}"
    ),
    "officer.urgent_mark": "[긴급] ",
    "officer.aside": "{name}님이 {room}에서 쓴 명령에 대한 답입니다.\n{text}",
    "officer.done": "{receipt}: {status:으로} 바꿨습니다.",
    "officer.sent": "{receipt}: 민원인에게 답변을 보냈습니다.",
    "officer.noted": "{receipt}: 내부 메모를 남겼습니다.",
    # --- teaching the FAQ residents' words ----------------------------------------------------
    "teach.done": (
        "{receipt}: FAQ '{entry}'의 답변을 보내고 해결로 바꿨습니다. 이 민원의 질문을 "
        "'{entry}'의 표현으로 배웠습니다 (이 항목에서 배운 표현 {count}개)."
    ),
    "teach.choices": "{receipt}에 가까운 FAQ 항목입니다:",
    "teach.choice": "{number}. {entry} — {question} ({score})",
    "teach.how": "이 중 하나로 답하려면: /faq {receipt} 1 (번호나 항목 id, 예: {entry})",
    "teach.no_choices": "{receipt:과} 겹치는 FAQ 항목이 없습니다. /reply로 답해 주세요.",
    "teach.no_entry": "FAQ에 '{entry}' 항목이 없습니다. /faq {receipt:으로} 가까운 항목을 보세요.",
    "teach.closed": "{receipt:은} 이미 종결된 민원입니다. 먼저 /reopen {receipt} 하세요.",
    "teach.not_question": (
        "{receipt:은} {category} 민원입니다. FAQ 답변은 단순 질의에만 보낼 수 있습니다 "
        "(해결되지 않은 문제를 해결로 닫지 않도록). 분류가 틀렸다면 먼저 "
        "/kind {receipt} 단순 질의, 안내만 하려면 /reply {receipt} 내용."
    ),
    "teach.no_held": (
        "{receipt}에는 봇이 고른 답이 없습니다 (항목이 FAQ에서 빠졌을 수 있습니다). "
        "/faq {receipt:으로} 항목을 고르세요."
    ),
    "teach.nothing": "{receipt}에서 배운 표현이 없습니다.",
    "teach.forgotten": "{receipt}: FAQ '{entry}'에서 이 민원의 표현을 지웠습니다.",
    "officer.assigned": "{receipt}: 담당 {assignee} · 부서 {department}",
    "officer.merge_rooms": "참고: 두 민원은 접수된 방이 다릅니다 ({a} / {b}).",
    "officer.merge_kinds": "참고: 두 민원은 분류가 다릅니다 ({a} / {b}).",
    "officer.merged": (
        "{receipt:을} {target}에 병합했습니다. 민원인은 {target}의 결과를 함께 받습니다."
    ),
    "officer.extended": "{receipt}: 처리 기한을 {due}까지 연장하고 민원인에게 알렸습니다.",
    "officer.recounted": (
        "[처리 기한 재계산] 근무일·근무 시간이 바뀌어 처리 중인 민원 {count}건의 기한을 다시 "
        "셌습니다 (연장된 민원은 민원인에게 새 기한을 알렸습니다)."
    ),
    "officer.recounted_line": "{receipt} 기한 {was} → {due} · {text}",
    "kind.done": "{receipt}: {kind:으로} 다시 분류했습니다. 처리 기한 {due}.",
    "kind.same": "{receipt}: 이미 {kind}입니다.",
    "kind.unknown": "{kind:은} 민원 분류가 아닙니다. 가능한 분류: {choices}",
    "kind.closed": "{receipt:은} {status} 상태라 다시 분류할 수 없습니다. 먼저 /reopen 하세요.",
    "officer.list_empty": "해당하는 민원이 없습니다.",
    "officer.list_line": "{receipt} [{status}] {category} · 기한 {due} · {text}",
    "officer.list_more": "… 외 {count}건",
    "officer.ticket": (
        "{receipt} [{status}] {category} · {room}\n{text}\n"
        "접수 {created} · 처리 기한 {due}{extended}\n담당 {assignee} · 부서 {department}\n"
        "민원인 {reporter} · 연락처 {contact} · 함께 알림 {followers}명"
    ),
    "officer.ticket_extended": " (연장됨)",
    "officer.ticket_supporters": "공감한 주민 {count}명",
    "officer.ticket_merged_into": "병합됨 → {target}",
    "officer.ticket_merged": "병합된 민원: {receipts}",
    "officer.history": "처리 이력:",
    "officer.history_line": "• {at} {actor} {action}{change}{text}",
    "officer.overdue": " (기한 지남)",
    "digest.title": (
        "[{date} 민원 현황] 새 민원 {new}건 · 기한 지남 {overdue}건 · 기한 임박 {soon}건"
    ),
    "digest.new": "■ 새 민원",
    "digest.overdue": "■ 기한 지남",
    "digest.soon": "■ 기한 임박",
    "digest.backed": "■ 주민 공감",
    "digest.backed_line": "{receipt} 공감 {count}명 (+{new}) · {text}",
    "digest.held": "■ 답변 검토 대기 (버튼을 누르면 봇이 고른 답이 주민에게 갑니다)",
    "digest.held_line": "{receipt} · {text} → 봇이 고른 답: {question}",
    "reminder.due": ("[기한 임박 {receipt}] 처리 기한 {due} · {status} · 담당 {assignee}\n{text}"),
    "reminder.overdue": (
        "[기한 지남 {receipt}] 처리 기한 {due} · {status} · 담당 {assignee}\n{text}"
    ),
    "role.changed": "{name}: {role:으로} 바꿨습니다.",
    "nobody": "-",
    # --- argument errors ---------------------------------------------------------------------
    "usage.need_receipt": "접수번호를 적어 주세요.",
    "usage.need_text": "접수번호와 내용을 함께 적어 주세요.",
    "usage.need_reason": "불가 사유를 꼭 적어 주세요.",
    "usage.need_kind": "접수번호와 바꿀 분류를 함께 적어 주세요.",
    "usage.need_days": "접수번호와 연장할 일수, 사유를 적어 주세요.",
    "usage.need_extend_reason": "연장 사유를 꼭 적어 주세요. 민원인에게 함께 알립니다.",
    "usage.bad_status": "알 수 없는 상태 '{status}'입니다. 쓸 수 있는 상태: {choices}",
    "usage.bad_transition": "{receipt}: {current}에서 {wanted:으로} 바꿀 수 없습니다.",
    "usage.same_status": "{receipt}: 이미 {current} 상태입니다.",
    "usage.merged": "{receipt:은} {target}에 병합된 민원입니다. {target:으로} 처리해 주세요.",
    "usage.merge_same": "서로 다른 두 접수번호를 적어 주세요.",
    "usage.merge_closed": "처리 중인 민원끼리만 병합할 수 있습니다 ({receipt}: {status}).",
    "usage.closed": (
        "{receipt:은} 이미 {status} 처리된 민원입니다. 다시 맡으려면 먼저 /reopen {receipt}."
    ),
    "usage.extend_once": "{receipt}: 처리 기한은 한 번만 연장할 수 있습니다.",
    "usage.extend_closed": "{receipt}: 끝난 민원은 연장할 수 없습니다.",
    "usage.extend_days": "연장 일수는 1부터 {most} 사이의 숫자로 적어 주세요.",
    "usage.need_assignee": "담당자(@이름)나 부서를 적어 주세요.",
    "usage.unknown_officer": "{who} 담당자를 찾을 수 없습니다.",
    "usage.unknown_person": "{who} 이용자를 찾을 수 없습니다.",
    "usage.bad_role": "역할은 {choices} 중 하나로 적어 주세요.",
    "usage.staff_place": "민원 내용은 담당자 방이나 1:1 대화에서만 볼 수 있습니다.",
    "usage.self_role": "자기 자신의 역할은 바꿀 수 없습니다.",
    # --- command usage lines (shown on misuse, in /help and in platform menus) ----------------
    "word.all": "전체",
    "usage.cmd.help": "/help [명령]",
    "usage.cmd.status": "/status 접수번호",
    "usage.cmd.tickets": "/tickets [상태|전체]",
    "usage.cmd.ticket": "/ticket 접수번호",
    "usage.cmd.assign": "/assign 접수번호 @담당자 [부서]",
    "usage.cmd.reply": "/reply 접수번호 답변 내용",
    "usage.cmd.faq": "/faq 접수번호 [번호 또는 FAQ 항목 id] (없이: 가까운 항목 보기)",
    "usage.cmd.unlearn": "/unlearn 접수번호",
    "usage.cmd.kind": "/kind 접수번호 분류 (단순 질의, 생활 불편, 정책 건의)",
    "usage.cmd.note": "/note 접수번호 내부 메모",
    "usage.cmd.resolve": "/resolve 접수번호 처리 결과",
    "usage.cmd.reject": "/reject 접수번호 불가 사유",
    "usage.cmd.longterm": "/longterm 접수번호 추진 계획",
    "usage.cmd.reopen": "/reopen 접수번호 [사유]",
    "usage.cmd.merge": "/merge 접수번호 합칠_곳_접수번호",
    "usage.cmd.extend": "/extend 접수번호 일수 사유",
    "usage.cmd.report": "/report [YYYY-MM]",
    "usage.cmd.info": "/info 정보 제공 내용 (정보 제공 건수로 기록)",
    "usage.cmd.answers": "/answers [YYYY-MM] (FAQ 항목별 답변 수와 '찾는 답이 아님' 수)",
    "usage.cmd.role": "/role @사용자 officer|admin|resident",
    "usage.cmd.notice": (
        '/notice at 2026-12-01 09:00 groups 청년 내용 (또는 every "0 9 * * MON" · now) · '
        "/notice confirm|cancel 번호"
    ),
    "usage.cmd.notices": "/notices (예약된 공지 목록)",
    "usage.reopen_open": (
        "{receipt:은} 아직 처리 중인 민원입니다. 끝난 민원만 다시 열 수 있습니다."
    ),
    "usage.bad_month": "월을 2026-11, 11월 또는 지난달처럼 적어 주세요.",
    "usage.future_month": "{month:은} 아직 오지 않은 달입니다.",
    "usage.need_info": "기록할 정보 제공 내용을 적어 주세요.",
    # --- monthly report ----------------------------------------------------------------------
    "report.title": "[{county} 소통 창구 운영 현황] {year}년 {month}월 ({cutoff} 기준)",
    "report.col.period": "구분",
    "report.col.received": "접수",
    "report.col.info": "정보 제공",
    "report.col.subtotal": "주요 민원: 소계",
    "report.col.resolved": "완료: 해결",
    "report.col.rejected": "완료: 불가",
    "report.col.long_term": "완료: 장기 추진",
    "report.col.open": "추진중",
    "report.month": "{year}. {month}월",
    "report.total": "합계",
    "report.rooms": "소통방 인원 현황",
    "report.col.platform": "플랫폼",
    "report.col.room": "소통방",
    "report.col.members": "인원",
    "report.subtotal": "소계",
    "report.grand_total": "총계",
    "report.info_recorded": (
        "정보 제공 1건을 기록했습니다 ({year}년 {month}월 정보 제공 {count}건)."
    ),
    # --- FAQ answers per entry (/answers) -------------------------------------------------------
    "answers.title": "[{county} FAQ 답변 현황] {year}년 {month}월 ({cutoff} 기준)",
    "answers.col.entry": "항목",
    "answers.col.question": "질문",
    "answers.col.answered": "답변",
    "answers.col.turned_down": "찾는 답 아님",
    "answers.col.tickets": "넘긴 접수",
    "answers.col.words": "FAQ에 없는 말",
    "answers.col.asked": "질문",
    "answers.gaps": "FAQ가 답하지 못한 질문에 두 번 이상 나온 말 (새 항목 후보)",
    "answers.gone": "(지금 FAQ에 없는 항목)",
    "answers.summary": (
        "봇이 FAQ로 답한 질문 {answered}건, 주민이 '찾는 답이 아니에요'라고 한 답변 {turned_down}건"
    ),
    "answers.review": (
        "그중 {held}건은 담당자 검토를 거쳤습니다: 봇이 고른 답 그대로 보냄 {sent}건, "
        "다른 답으로 바꿈 {changed}건 ('찾는 답 아님'에 셈), 검토 전 {waiting}건"
    ),
    "answers.passed_on": "FAQ로 답하지 못해 담당자에게 넘긴 질문 {count}건 (단순 질의 접수)",
    "answers.unused": "이달 한 번도 답하지 않은 항목 {count}개: {entries}",
    "answers.unused_more": "외 {count}개",
    "answers.tickets_more": "외 {count}건",
    "answers.more": (
        "표에는 {count}개 항목 중 {shown}개만 보입니다. 전체는 서버에서 sotong answers 명령으로 "
        "보세요."
    ),
    "answers.gaps_more": (
        "FAQ에 없는 말은 {count}줄 중 {shown}줄만 보입니다. "
        "전체는 서버에서 sotong answers 명령으로 보세요."
    ),
    "answers.by_score": (
        "봇이 고른 답의 점수별 현황 (config.yaml의 review_answers에 점수를 적으면 "
        "그 미만의 답은 담당자가 먼저 확인합니다)"
    ),
    "answers.col.score": "점수",
    "answers.col.sent": "검토해 그대로 보냄",
    "answers.col.waiting": "검토 전",
    "answers.score_below": "{score} 미만",
    "answers.score_from": "{score} 이상",
    "answers.review_setting": (
        "지금 담당자가 먼저 확인하는 답 (config.yaml review_answers): {places}"
    ),
    "answers.review_all": "모든 답",
    "answers.review_below": "점수 {score} 미만",
    "answers.review_none": "바로 답함",
    "answers.review_entries": "항목에 review_answers: true가 있어 늘 확인하는 답 ({entries})",
    "platform.telegram": "텔레그램",
    "platform.slack": "슬랙",
    "platform.webchat": "웹 채팅",
    "platform.kakao": "카카오톡",
    "platform.band": "네이버 밴드",
    "platform.cafe": "네이버 카페",
    # --- commands ----------------------------------------------------------------------------
    "command.refused": "죄송합니다. /{command} 명령은 담당 공무원만 쓸 수 있습니다.",
    "help.unknown": "/{command}: 그런 명령은 없습니다. 아래에서 쓸 수 있는 명령을 확인하세요.",
    "command.unknown": (
        "/{command}: 알 수 없는 명령입니다. 쓸 수 있는 명령은 /help에서 확인하세요."
    ),
    "command.usage": "{reason}\n사용법: {usage}",
    "help.resident": (
        "소통봇은 {county} 소통 창구입니다.\n"
        "• 궁금한 것을 물어보시면 안내해 드립니다.\n"
        "• 생활 불편이나 정책 건의를 남기시면 접수해 담당 부서에 전달합니다.\n"
        "• 담당자는 평일 {opens}~{closes}에 확인합니다 (주말·공휴일 제외).\n"
        "• /status 접수번호 — 내 민원 처리 상태 확인"
    ),
    "help.officer": "담당자 명령:\n{commands}",
    "flood.limited": "메시지가 너무 많아 잠시 응답을 멈춥니다. 1분 뒤에 다시 말씀해 주세요.",
    # --- names -------------------------------------------------------------------------------
    "category.question": "단순 질의",
    "category.inconvenience": "생활 불편",
    "category.suggestion": "정책 건의",
    "status.received": "접수",
    "status.in_progress": "처리중",
    "status.resolved": "해결",
    "status.rejected": "불가",
    "status.long_term": "장기 추진",
    "room.direct": "1:1 대화",
    "role.resident": "주민",
    "role.officer": "담당자",
    "role.admin": "관리자",
    "action.received": "접수",
    "action.reply": "답변",
    "action.faq": "FAQ 답변",
    "action.unlearn": "배운 표현 삭제",
    "action.note": "메모",
    "action.assign": "배정",
    "action.resolved": "해결",
    "action.rejected": "불가",
    "action.long_term": "장기 추진",
    "action.reopen": "재처리",
    "action.merge": "병합",
    "action.merged_in": "병합 받음",
    "action.follow": "병합 따라 변경",
    "action.extend": "기한 연장",
    "action.recount": "기한 재계산 (근무일 변경)",
    "action.kind": "분류 변경",
    "action.follower": "같은 민원 추가",
    "action.supporter": "공감",
    "action.answer_missed": "봇 답변이 찾던 내용이 아님",
    "action.answer_held": "검토 모드에서 봇이 고른 답",
    "action.detail": "내용 추가",
    "action.asked_status": "처리 상황 문의",
    "action.erase": "개인정보 삭제",
    # --- web chat page and console ---------------------------------------------------------
    "web.title": "{county} 소통방",
    "web.officer": "담당자: {name}",
    "web.logout": "로그아웃",
    "web.officer_login": "담당자 로그인",
    "web.room": "방",
    "web.direct": "{bot}와 1:1 대화",
    "web.name": "이름",
    "web.name_placeholder": "대화명",
    "web.enter": "입장",
    "web.message": "메시지",
    "web.message_placeholder": "메시지를 입력하세요 (@{bot:을} 붙이면 봇을 부를 수 있어요)",
    "web.send": "보내기",
    "web.reply": "답장",
    "web.replying": "답장:",
    "web.reply_cancel": "취소",
    "web.login_title": "{county} 담당자 로그인",
    "web.login_id": "아이디",
    "web.login_secret": "비밀번호",
    "web.login": "로그인",
    "web.as_resident": "주민으로 대화하기",
    "web.login_failed": "아이디 또는 비밀번호가 맞지 않습니다.",
    "web.default_name": "주민",
    "web.officer_room": "담당자방",
    "web.reconnecting": "연결이 끊겼습니다. 다시 연결하는 중…",
    "web.unknown_room": "들어갈 수 없는 방입니다.",
    "web.bad_message": "메시지를 보내지 못했습니다. 페이지를 새로 고쳐 주세요.",
    "console.welcome": "{bot}과 대화를 시작합니다. 끝내려면 Ctrl-D.",
    # --- notices and news ---------------------------------------------------------------------
    "notice.post": "[공지] {text}",
    "notice.preview": (
        "공지 미리보기 (#{id})\n일시: {when}\n대상: {groups} — 방 {count}곳 ({rooms})\n"
        "──────\n{text}\n──────\n"
        "보내려면 /notice confirm {id}, 그만두려면 /notice cancel {id}"
    ),
    "notice.every": "반복 {cron} (다음: {next})",
    "notice.confirm_button": "공지 예약 확인 #{id}",
    "notice.cancel_button": "공지 취소 #{id}",
    "notice.confirmed": "공지 #{id:을} 예약했습니다. 발송: {next}",
    "notice.cancelled": "공지 #{id:을} 취소했습니다.",
    "notice.list_empty": "예약된 공지가 없습니다.",
    "notice.list_line": "#{id} [{status}]{source} {when} · {groups} · {text}",
    "notice.from_config": " (설정 파일)",
    "notice.status_draft": "확인 대기",
    "notice.status_active": "예약",
    "notice.status_done": "발송 완료",
    "notice.status_cancelled": "취소됨",
    "notice.status_removed": "설정에서 삭제됨",
    "notice.missed": (
        "[공지 누락] #{id} {title} — {times} 발송 시각에 봇이 멈춰 있었고 "
        "허용 지연({grace})이 지나 보내지 않았습니다. "
        "필요하면 /notice now 명령으로 다시 보내 주세요."
    ),
    "notice.missed_more": "{first} 외 {count}회",
    "notice.need_sub": "at(예약), every(반복), now(지금), confirm, cancel 중 하나를 적어 주세요.",
    "notice.bad_sub": "'{word}'은(는) 알 수 없는 공지 명령입니다.",
    "notice.bad_date": "날짜와 시각을 읽을 수 없습니다: {value}. 예: 2026-12-01 09:00",
    "notice.need_time": "보낼 시각도 적어 주세요: {value} 09:00처럼.",
    "notice.past": "{when:은} 이미 지난 시각입니다.",
    "notice.bad_cron": (
        "반복 일정을 읽을 수 없습니다: {value} ({reason}). 분 시 일 월 요일 다섯 칸으로 "
        '적어 주세요. 예: "0 9 * * MON" (매주 월요일 9시)'
    ),
    "notice.need_groups": (
        "대상 그룹을 적어 주세요 (예: groups 육아,청년). 쓸 수 있는 그룹: {choices}"
    ),
    "notice.unknown_group": "알 수 없는 그룹 '{group}'입니다. 쓸 수 있는 그룹: {choices}",
    "notice.need_text": "보낼 내용을 적어 주세요.",
    "notice.need_id": "공지 번호를 적어 주세요 (/notices 명령으로 확인할 수 있습니다).",
    "notice.not_found": "공지 #{id:을} 찾을 수 없습니다.",
    "notice.not_draft": "공지 #{id:은} 확인 대기 중이 아닙니다 ({status}).",
    "notice.expired": "공지 #{id:은} 확인 시간이 지났습니다. 다시 만들어 주세요.",
    "notice.config_owned": (
        "공지 #{id:은} 설정 파일(config.yaml)의 공지입니다. 설정 파일에서 고쳐 주세요."
    ),
    "notice.not_cancellable": "공지 #{id:은} 이미 {status} 상태입니다.",
    "broadcast.report_notice": (
        "[공지 발송 결과] {title} · 방 {rooms}곳: 발송 {sent} · 실패 {failed} · 재시도 중 {pending}"
    ),
    "broadcast.report_news": (
        "[새 소식 발송 결과] {title} · 방 {rooms}곳: 발송 {sent} · 실패 {failed} · "
        "재시도 중 {pending}"
    ),
    "broadcast.report_sent": "✔ 발송: {rooms}",
    "broadcast.report_failed": "✘ 실패: {room} — {error}",
    "broadcast.report_pending": "… 재시도 중: {room} — {error}",
    "broadcast.report_no_rooms": "대상 그룹에 방이 없어 보내지 않았습니다.",
    "feed.item": "[{source}] {title}",
    "feed.read_more": "자세히 보기",
    "feed.batch_title": "{source} 새 소식 {count}건",
    "feed.failed": (
        "[새 소식 읽기 실패] {source} ({url}): {error}. "
        "다시 읽힐 때까지 이 알림은 반복하지 않습니다."
    ),
    "feed.recovered": "[새 소식 복구] {source}: 다시 읽힙니다 ({count}번 실패한 뒤).",
    "feed.error_http": "서버가 HTTP {status} 오류를 돌려주었습니다",
    "feed.error_timeout": "{seconds}초 안에 응답이 없습니다",
    "feed.error_garbage": "RSS/Atom 형식이 아닙니다 ({reason})",
    "feed.error_network": "연결할 수 없습니다 ({reason})",
    "feed.error_too_big": "{mb}MB보다 큽니다",
}

EN: dict[str, str] = {
    "faq.answer": "{answer}",
    "faq.answer_about": 'About "{question}":\n{answer}',
    "faq.offer": (
        "Is it one of these? Tap a number or a title, or '{none}' and I'll pass your question "
        "to an officer.\n{choices}"
    ),
    "faq.offer_none": "None of these",
    "faq.offer_one": (
        "Are you looking for \"{question}\"? Tap it if so, or '{none}' and I'll pass your "
        "question to an officer."
    ),
    "faq.not_it": "Not what I asked",
    "faq.offer_range": "Pick a number from 1 to {count}, or '{none}' if none of them fits.",
    "faq.unknown": (
        "I don't know the exact answer, so I passed your question to an officer "
        "(receipt {receipt}). I'll post the answer here."
    ),
    "faq.held": "An officer will check the answer, then I'll post it here (receipt {receipt}).",
    "time.day": "{weekday} {month}/{day} {time}",
    "time.today": "today at {time}",
    "time.weekdays": "Mon Tue Wed Thu Fri Sat Sun",
    "ticket.received": "Received (receipt {receipt}). It has been passed to the department.",
    "ticket.urgent": "An officer has been told right away (receipt {receipt}).",
    "ticket.after_hours": "The office is closed now; an officer will check it from {opens}.",
    "ticket.duplicate": (
        "The same issue is already being handled (receipt {receipt}). "
        "We'll let you know the outcome too."
    ),
    "ticket.detail": "Added to receipt {receipt} and passed to the department.",
    "ticket.supported": (
        "Your support for proposal {receipt} is counted. We'll let you know the outcome too."
    ),
    "ticket.last_reply": "Latest answer from the officer: {text}",
    "ticket.recheck": (
        "[Receipt {receipt}] This case was closed as {status}. "
        "We asked the officer to look at it again."
    ),
    "ticket.reply": "[Receipt {receipt}] An officer answered:\n{text}",
    "ticket.faq_answer": "[Receipt {receipt}] About '{question}':\n{answer}",
    "ticket.resolved": "[Receipt {receipt}] Resolved.\n{text}",
    "ticket.rejected": "[Receipt {receipt}] We cannot do this.\nReason: {text}",
    "ticket.long_term": "[Receipt {receipt}] Taken up as a long-term project.\n{text}",
    "ticket.reopened": "[Receipt {receipt}] We are working on it again.",
    "ticket.extended": "[Receipt {receipt}] The deadline is extended to {due}.\nReason: {text}",
    "ticket.recounted": (
        "[Receipt {receipt}] The office's working days changed, so the extended deadline was "
        "counted again. New deadline: {due}"
    ),
    "ticket.merged": (
        "[Receipt {receipt}] Handled together with the same case (receipt {target}). "
        "We'll let you know the outcome."
    ),
    "ticket.status": "[Receipt {receipt}] Status: {status} · due {due}",
    "ticket.status_denied": "You can only check your own cases or this room's public ones.",
    "ticket.not_found": "No case with receipt {receipt}.",
    "ticket.erased_number": "[number erased]",
    "ticket.erased": "(removed at the person's request)",
    "person.erased": "(erased user)",
    "pii.rrn_removed": (
        "Please never post a resident registration number in a chat. "
        "I removed it and did not store it."
    ),
    "safety.urgent": (
        "In an emergency call 112 (police) or 119 (rescue and ambulance) now. For domestic or "
        "sexual violence call 1366 (women's emergency line, 24 hours); if you are struggling, "
        "call 109 (suicide prevention, 24 hours). I am telling an officer right away."
    ),
    "officer.new_ticket": (
        "[New case {receipt}] {category} · {room}\n{text}\nDue: {due} · details: /ticket {receipt}"
    ),
    "officer.answer_missed": (
        'The bot answered with "{question}", but the resident said it was not what they asked. '
        "If an entry answers it, /faq {receipt} teaches the FAQ."
    ),
    "officer.answer_missed_again": (
        "This entry's answer has missed {times} times this month (/answers)."
    ),
    "officer.answer_held": (
        "Answer review: the bot picked the entry '{question}'. If it is right, send it with the "
        "button below or /faq {receipt} {entry}. Other entries: /faq {receipt}; your own words: "
        "/reply {receipt} text"
    ),
    "officer.send_held": "Send this answer {receipt}",
    "officer.follower": (
        "[{receipt}] Another resident reported the same ({count} following).\n{text}"
    ),
    "officer.detail": "[{receipt}] The resident added:\n{text}",
    "officer.asked_status": "[{receipt}] The resident asked how their case stands.\n{text}",
    "officer.recheck": (
        "[{receipt}] The resident wrote again about this case, closed as {status}. "
        "To work it again: /reopen {receipt}\n{text}"
    ),
    "officer.urgent": (
        "[Urgent {receipt}] A resident may be in danger. Please check now: /ticket {receipt}"
    ),
    "officer.urgent_ticket": (
        "[Urgent {receipt}] A resident may be in danger. Please check now: /ticket {receipt}\n"
        "{category} · {room}\n{text}\nDue: {due}"
    ),
    "officer.urgent_mark": "[Urgent] ",
    "officer.aside": "For {name}'s command in {room}:\n{text}",
    "officer.done": "{receipt}: set to {status}.",
    "officer.sent": "{receipt}: your answer was sent to the resident.",
    "officer.noted": "{receipt}: internal note saved.",
    # --- teaching the FAQ residents' words ----------------------------------------------------
    "teach.done": (
        "{receipt}: sent the answer of FAQ '{entry}' and resolved it. Its question is now a "
        "phrasing of '{entry}' ({count} learned for this entry)."
    ),
    "teach.choices": "FAQ entries closest to {receipt}:",
    "teach.choice": "{number}. {entry} — {question} ({score})",
    "teach.how": "To answer with one: /faq {receipt} 1 (its number or entry id, e.g. {entry})",
    "teach.no_choices": "No FAQ entry shares words with {receipt}. Answer it with /reply.",
    "teach.no_entry": "The FAQ has no entry '{entry}'. /faq {receipt} lists the closest ones.",
    "teach.closed": "{receipt} is already closed. /reopen {receipt} first.",
    "teach.not_question": (
        "{receipt} is a {category} case. An FAQ answer is only for a simple question (so an "
        "unsolved problem is not closed as resolved). If it is misfiled, /kind {receipt} "
        "question first; to inform the resident, /reply {receipt} text."
    ),
    "teach.no_held": (
        "{receipt} has no answer picked by the bot (its entry may have left the FAQ). "
        "/faq {receipt} lists entries to pick from."
    ),
    "teach.nothing": "Nothing was learned from {receipt}.",
    "teach.forgotten": "{receipt}: its words are no longer a phrasing of FAQ '{entry}'.",
    "officer.assigned": "{receipt}: assigned to {assignee} · department {department}",
    "officer.merged": "{receipt} merged into {target}; its resident will get {target}'s outcome.",
    "officer.merge_rooms": "Note: the two cases came from different rooms ({a} / {b}).",
    "officer.merge_kinds": "Note: the two cases are filed differently ({a} / {b}).",
    "officer.extended": "{receipt}: deadline extended to {due}; the resident was told.",
    "officer.recounted": (
        "[Deadlines recounted] The office's working days or hours changed: {count} open "
        "deadlines were counted again (residents with an extension were sent the new one)."
    ),
    "officer.recounted_line": "{receipt} due {was} → {due} · {text}",
    "kind.done": "{receipt}: filed as {kind} now. Due {due}.",
    "kind.same": "{receipt} is already filed as {kind}.",
    "kind.unknown": "'{kind}' is not a category. Categories: {choices}",
    "kind.closed": "{receipt} is {status}: it cannot be refiled. /reopen it first.",
    "officer.list_empty": "No cases.",
    "officer.list_line": "{receipt} [{status}] {category} · due {due} · {text}",
    "officer.list_more": "… and {count} more",
    "officer.ticket": (
        "{receipt} [{status}] {category} · {room}\n{text}\n"
        "received {created} · due {due}{extended}\nassignee {assignee} · department {department}\n"
        "resident {reporter} · contact {contact} · {followers} following"
    ),
    "officer.ticket_extended": " (extended)",
    "officer.ticket_supporters": "Residents backing it: {count}",
    "officer.ticket_merged_into": "merged → {target}",
    "officer.ticket_merged": "merged cases: {receipts}",
    "officer.history": "History:",
    "officer.history_line": "• {at} {actor} {action}{change}{text}",
    "officer.overdue": " (overdue)",
    "digest.title": "[{date} cases] new {new} · overdue {overdue} · due soon {soon}",
    "digest.new": "■ New",
    "digest.overdue": "■ Overdue",
    "digest.soon": "■ Due soon",
    "digest.backed": "■ Backed by residents",
    "digest.backed_line": "{receipt} backed by {count} (+{new}) · {text}",
    "digest.held": "■ Answers awaiting review (a button sends the bot's pick to the resident)",
    "digest.held_line": "{receipt} · {text} → the bot's pick: {question}",
    "reminder.due": "[Due soon {receipt}] due {due} · {status} · assignee {assignee}\n{text}",
    "reminder.overdue": "[Overdue {receipt}] due {due} · {status} · assignee {assignee}\n{text}",
    "role.changed": "{name}: now {role}.",
    "nobody": "-",
    "usage.need_receipt": "Give a receipt number.",
    "usage.need_text": "Give a receipt number and a text.",
    "usage.need_reason": "A refusal needs a reason.",
    "usage.need_kind": "Give a receipt number and the category to refile it under.",
    "usage.need_days": "Give a receipt number, the days to extend by and the reason.",
    "usage.need_extend_reason": "An extension needs a reason: the resident is told it.",
    "usage.bad_status": "Unknown status '{status}'. Known: {choices}",
    "usage.bad_transition": "{receipt}: cannot go from {current} to {wanted}.",
    "usage.same_status": "{receipt} is already {current}.",
    "usage.merged": "{receipt} was merged into {target}; work on {target} instead.",
    "usage.merge_same": "Give two different receipt numbers.",
    "usage.merge_closed": "Only open cases can be merged ({receipt}: {status}).",
    "usage.closed": "{receipt} is already closed ({status}). /reopen {receipt} first.",
    "usage.extend_once": "{receipt}: the deadline can be extended only once.",
    "usage.extend_closed": "{receipt}: a closed case cannot be extended.",
    "usage.extend_days": "Give the days to extend as a number from 1 to {most}.",
    "usage.need_assignee": "Give an officer (@name) or a department.",
    "usage.unknown_officer": "No officer {who}.",
    "usage.unknown_person": "No user {who}.",
    "usage.bad_role": "The role must be one of {choices}.",
    "usage.staff_place": "Case details are shown only in the officer room or a 1:1 chat.",
    "usage.self_role": "You cannot change your own role.",
    "word.all": "all",
    "usage.cmd.help": "/help [command]",
    "usage.cmd.status": "/status RECEIPT",
    "usage.cmd.tickets": "/tickets [status|all]",
    "usage.cmd.ticket": "/ticket RECEIPT",
    "usage.cmd.assign": "/assign RECEIPT @officer [department]",
    "usage.cmd.reply": "/reply RECEIPT answer",
    "usage.cmd.faq": "/faq RECEIPT [number or FAQ entry id] (without one: the closest entries)",
    "usage.cmd.unlearn": "/unlearn RECEIPT",
    "usage.cmd.kind": "/kind RECEIPT CATEGORY (question, inconvenience, suggestion)",
    "usage.cmd.note": "/note RECEIPT internal note",
    "usage.cmd.resolve": "/resolve RECEIPT outcome",
    "usage.cmd.reject": "/reject RECEIPT reason",
    "usage.cmd.longterm": "/longterm RECEIPT plan",
    "usage.cmd.reopen": "/reopen RECEIPT [reason]",
    "usage.cmd.merge": "/merge RECEIPT INTO_RECEIPT",
    "usage.cmd.extend": "/extend RECEIPT days reason",
    "usage.cmd.report": "/report [YYYY-MM]",
    "usage.cmd.info": "/info what was posted (counted as information provided)",
    "usage.cmd.answers": "/answers [YYYY-MM] (answers and misses per FAQ entry)",
    "usage.cmd.role": "/role @user officer|admin|resident",
    "usage.cmd.notice": (
        '/notice at 2026-12-01 09:00 groups 청년 text (or every "0 9 * * MON" · now) · '
        "/notice confirm|cancel NUMBER"
    ),
    "usage.cmd.notices": "/notices (scheduled notices)",
    "usage.reopen_open": "{receipt} is still open; only closed cases can be reopened.",
    "usage.bad_month": "Give the month as 2026-11, 11월 or 지난달 (last month).",
    "usage.future_month": "{month} has not come yet.",
    "usage.need_info": "Say what information was provided.",
    "report.title": "[{county} help desk] {year}-{month:02d} (as of {cutoff})",
    "report.col.period": "Period",
    "report.col.received": "Received",
    "report.col.info": "Information",
    "report.col.subtotal": "Cases: subtotal",
    "report.col.resolved": "Done: resolved",
    "report.col.rejected": "Done: not possible",
    "report.col.long_term": "Done: long-term",
    "report.col.open": "In progress",
    "report.month": "{year}-{month:02d}",
    "report.total": "Total",
    "report.rooms": "Room members",
    "report.col.platform": "Platform",
    "report.col.room": "Room",
    "report.col.members": "Members",
    "report.subtotal": "Subtotal",
    "report.grand_total": "Grand total",
    "report.info_recorded": "Recorded 1 information post ({year}-{month:02d}: {count} in all).",
    "answers.title": "[{county} FAQ answers] {year}-{month:02d} (as of {cutoff})",
    "answers.col.entry": "Entry",
    "answers.col.question": "Question",
    "answers.col.answered": "Answered",
    "answers.col.turned_down": "Not what was asked",
    "answers.col.tickets": "Tickets",
    "answers.col.words": "Words no entry uses",
    "answers.col.asked": "Questions",
    "answers.gaps": "Words in two or more questions the FAQ could not answer (entries to write)",
    "answers.gone": "(no longer in the FAQ)",
    "answers.summary": (
        "The bot answered {answered} question(s) from the FAQ; residents said {turned_down} "
        "answer(s) were not what they asked"
    ),
    "answers.review": (
        "Of these, {held} were held for an officer: sent as the bot picked {sent}, "
        "answered otherwise {changed} (counted as not what was asked), not yet reviewed {waiting}"
    ),
    "answers.passed_on": "Questions the FAQ could not answer, passed to officers: {count}",
    "answers.unused": "Entries not used once this month ({count}): {entries}",
    "answers.unused_more": "and {count} more",
    "answers.tickets_more": "and {count} more",
    "answers.more": (
        "The table shows {shown} of {count} entries; run `sotong answers` on the server for all."
    ),
    "answers.gaps_more": (
        "The missing words show {shown} of {count} rows; "
        "run `sotong answers` on the server for all."
    ),
    "answers.by_score": (
        "Answers the bot picked, by its score (give review_answers in config.yaml a score, "
        "and answers scoring below it wait for an officer first)"
    ),
    "answers.col.score": "Score",
    "answers.col.sent": "Reviewed, sent as picked",
    "answers.col.waiting": "Awaiting review",
    "answers.score_below": "below {score}",
    "answers.score_from": "{score} and above",
    "answers.review_setting": "Answers an officer checks first now (review_answers): {places}",
    "answers.review_all": "all",
    "answers.review_below": "scoring below {score}",
    "answers.review_none": "none",
    "answers.review_entries": "always for entries marked review_answers: true ({entries})",
    "platform.telegram": "Telegram",
    "platform.slack": "Slack",
    "platform.webchat": "Web chat",
    "platform.kakao": "KakaoTalk",
    "platform.band": "Naver Band",
    "platform.cafe": "Naver Cafe",
    "command.refused": "Sorry, /{command} is for county officers only.",
    "help.unknown": "/{command}: there is no such command. Here is what there is.",
    "command.unknown": "Unknown command /{command}. Try /help.",
    "command.usage": "{reason}\nUsage: {usage}",
    "help.resident": (
        "Sotong is the {county} help desk.\n"
        "• Ask a question and I'll answer it.\n"
        "• Report a problem or suggest a policy and I'll pass it to the department.\n"
        "• Officers read them on weekdays, {opens}–{closes} (not on public holidays).\n"
        "• /status RECEIPT — check your case"
    ),
    "help.officer": "Officer commands:\n{commands}",
    "flood.limited": "Too many messages; I'll pause for a minute.",
    "category.question": "question",
    "category.inconvenience": "living inconvenience",
    "category.suggestion": "policy suggestion",
    "status.received": "received",
    "status.in_progress": "in progress",
    "status.resolved": "resolved",
    "status.rejected": "not possible",
    "status.long_term": "long-term",
    "room.direct": "1:1 chat",
    "role.resident": "resident",
    "role.officer": "officer",
    "role.admin": "admin",
    "action.received": "received",
    "action.reply": "answered",
    "action.faq": "answered from the FAQ",
    "action.unlearn": "learned words removed",
    "action.note": "note",
    "action.assign": "assigned",
    "action.resolved": "resolved",
    "action.rejected": "refused",
    "action.long_term": "long-term",
    "action.reopen": "reopened",
    "action.merge": "merged",
    "action.merged_in": "took a merge",
    "action.follow": "followed its merge",
    "action.extend": "extended",
    "action.recount": "deadline recounted (calendar changed)",
    "action.kind": "refiled",
    "action.follower": "same report added",
    "action.supporter": "backed it",
    "action.answer_missed": "the bot's answer was not what they asked",
    "action.answer_held": "the bot's pick, held for review",
    "action.detail": "resident added detail",
    "action.asked_status": "resident asked how it stands",
    "action.erase": "personal data erased",
    # --- web chat page and console ---------------------------------------------------------
    "web.title": "{county} community chat",
    "web.officer": "Officer: {name}",
    "web.logout": "Sign out",
    "web.officer_login": "Officer sign-in",
    "web.room": "Room",
    "web.direct": "1:1 with {bot}",
    "web.name": "Name",
    "web.name_placeholder": "Display name",
    "web.enter": "Enter",
    "web.message": "Message",
    "web.message_placeholder": "Type a message (@{bot} calls the bot)",
    "web.send": "Send",
    "web.reply": "Reply",
    "web.replying": "Replying to",
    "web.reply_cancel": "Cancel",
    "web.login_title": "{county} officer sign-in",
    "web.login_id": "ID",
    "web.login_secret": "Password",
    "web.login": "Sign in",
    "web.as_resident": "Chat as a resident",
    "web.login_failed": "Wrong ID or password.",
    "web.default_name": "Resident",
    "web.officer_room": "Officer room",
    "web.reconnecting": "Connection lost. Reconnecting…",
    "web.unknown_room": "You cannot enter this room.",
    "web.bad_message": "The message could not be sent. Please reload the page.",
    "console.welcome": "Talking with {bot}. Ctrl-D ends.",
    "notice.post": "[Notice] {text}",
    "notice.preview": (
        "Notice preview (#{id})\nWhen: {when}\nTo: {groups} — {count} rooms ({rooms})\n"
        "──────\n{text}\n──────\n"
        "To send it: /notice confirm {id}; to drop it: /notice cancel {id}"
    ),
    "notice.every": "every {cron} (next: {next})",
    "notice.confirm_button": "Confirm notice #{id}",
    "notice.cancel_button": "Cancel notice #{id}",
    "notice.confirmed": "Notice #{id} is scheduled: {next}",
    "notice.cancelled": "Notice #{id} is cancelled.",
    "notice.list_empty": "No notices scheduled.",
    "notice.list_line": "#{id} [{status}]{source} {when} · {groups} · {text}",
    "notice.from_config": " (config file)",
    "notice.status_draft": "awaiting confirmation",
    "notice.status_active": "scheduled",
    "notice.status_done": "sent",
    "notice.status_cancelled": "cancelled",
    "notice.status_removed": "removed from config",
    "notice.missed": (
        "[Notice missed] #{id} {title} — the bot was down at {times} and the grace period "
        "({grace}) has passed, so it was not sent. Use /notice now to send it again."
    ),
    "notice.missed_more": "{first} and {count} more",
    "notice.need_sub": "Say at, every, now, confirm or cancel.",
    "notice.bad_sub": "Unknown notice command '{word}'.",
    "notice.bad_date": "Cannot read the date and time: {value}. E.g. 2026-12-01 09:00",
    "notice.need_time": "Give the time as well: {value} 09:00, for example.",
    "notice.past": "{when} has already passed.",
    "notice.bad_cron": (
        "Cannot read the schedule: {value} ({reason}). Give five fields (minute hour day "
        'month weekday), e.g. "0 9 * * MON" (Mondays at 9).'
    ),
    "notice.need_groups": "Give the groups (e.g. groups 육아,청년). Known groups: {choices}",
    "notice.unknown_group": "Unknown group '{group}'. Known groups: {choices}",
    "notice.need_text": "Give the text to send.",
    "notice.need_id": "Give the notice number (see /notices).",
    "notice.not_found": "No notice #{id}.",
    "notice.not_draft": "Notice #{id} is not awaiting confirmation ({status}).",
    "notice.expired": "Notice #{id} was not confirmed in time; create it again.",
    "notice.config_owned": (
        "Notice #{id} comes from the config file (config.yaml); change it there."
    ),
    "notice.not_cancellable": "Notice #{id} is already {status}.",
    "broadcast.report_notice": (
        "[Notice delivery] {title} · {rooms} rooms: sent {sent} · failed {failed} · "
        "retrying {pending}"
    ),
    "broadcast.report_news": (
        "[News delivery] {title} · {rooms} rooms: sent {sent} · failed {failed} · "
        "retrying {pending}"
    ),
    "broadcast.report_sent": "✔ sent: {rooms}",
    "broadcast.report_failed": "✘ failed: {room} — {error}",
    "broadcast.report_pending": "… retrying: {room} — {error}",
    "broadcast.report_no_rooms": "No room is in the target groups; nothing was sent.",
    "feed.item": "[{source}] {title}",
    "feed.read_more": "Read more",
    "feed.batch_title": "{source}: {count} new",
    "feed.failed": (
        "[News feed failing] {source} ({url}): {error}. "
        "You will not be told again until it reads again."
    ),
    "feed.recovered": "[News feed back] {source} reads again (after {count} failures).",
    "feed.error_http": "the server answered HTTP {status}",
    "feed.error_timeout": "no answer within {seconds} s",
    "feed.error_garbage": "not an RSS or Atom feed ({reason})",
    "feed.error_network": "cannot connect ({reason})",
    "feed.error_too_big": "larger than {mb} MB",
}

LOCALES: dict[str, dict[str, str]] = {"ko": KO, "en": EN}


class Texts:
    """Looks sentences up in one locale: `texts("ticket.received", receipt="2026-0042")`."""

    def __init__(self, locale: str = "ko") -> None:
        self.locale = locale
        self._table = LOCALES[locale]

    def __call__(self, key: str, **values: Any) -> str:
        return _FORMATTER.format(self._table[key], **values)

    def maybe(self, key_or_text: str) -> str:
        """The sentence when `key_or_text` names one (a command's usage key), else the text
        itself: a route without usage ("") or a county's own router written in plain text."""
        return self._table.get(key_or_text, key_or_text)


# Korean particles change with the last sound of the word before them (해결로 · 처리중으로,
# 민원을 · 공지를). A sentence asks for one with a format spec: "{status:으로}", "{receipt:을}".
_PARTICLES = {"을": ("을", "를"), "이": ("이", "가"), "은": ("은", "는"), "과": ("과", "와")}
_DIGIT_CODA = {
    "0": True,
    "1": True,
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": True,
    "8": True,
    "9": False,
}  # 영 일 이 삼 사 오 육 칠 팔 구
_DIGIT_RIEUL = {"1", "7", "8"}  # 일 칠 팔 end in ㄹ, which takes 로 not 으로


def _coda(word: str) -> tuple[bool, bool] | None:
    """(has a final consonant, that consonant is ㄹ) for the last sound of `word`, or None
    when it cannot be told (a Latin word, an empty value)."""
    last = word.rstrip(" )]\"'")[-1:]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return final != 0, final == 8
    if last in _DIGIT_CODA:
        return _DIGIT_CODA[last], last in _DIGIT_RIEUL
    return None


def particle(word: str, kind: str) -> str:
    """The particle `kind` (을 · 이 · 은 · 과 · 으로) that fits after `word`."""
    coda = _coda(word)
    if kind == "으로":
        if coda is None:
            return "(으)로"
        return "으로" if coda[0] and not coda[1] else "로"
    with_coda, without = _PARTICLES[kind]
    if coda is None:
        return f"{with_coda}({without})"
    return with_coda if coda[0] else without


class _KoreanFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in ("으로", *_PARTICLES):
            text = str(value)
            return text + particle(text, format_spec)
        return super().format_field(value, format_spec)


_FORMATTER = _KoreanFormatter()
