"""Demo loans data: a developer with an admitted project and its operator; an entrusted bank with its outlet's
operator (受托银行网点, Linyi)."""

from fund.demo import DEMO_PASSWORD, DemoContext, make_credit_code
from fund.people.models import Developer, EntrustedBank
from fund.people.services import operator_create

from .models import Project, ProjectState


def seed(ctx: DemoContext) -> None:
    developer = Developer.objects.create(
        name="示范市安居置业有限公司", credit_code=make_credit_code(900), contact_name="孙经理", contact_phone="0537-3999888"
    )
    Project.objects.create(
        developer=developer, name="安居·湖畔花园", address="示范市北湖新区湖畔路88号",
        presale_permit="示房预售字（2026）第018号", state=ProjectState.ADMITTED,
    )
    Project.objects.create(developer=developer, name="安居·学府里（二期）", address="示范市高新区学府路16号")
    operator_create(
        actor=ctx.staff["loanadmin"], username="dev01", name="韩志伟", password=DEMO_PASSWORD,
        phone="13905379999", developer=developer,
    )
    ctx.logins.append(("开发企业", "dev01", developer.name))
    bank = EntrustedBank.objects.create(code="CCB0537", name="中国建设银行", outlet="示范市分行营业部",
                                        contact_phone="0537-2345678")
    operator_create(
        actor=ctx.staff["loanadmin"], username="bank01", name="周晓燕", password=DEMO_PASSWORD,
        phone="13905378888", bank=bank,
    )
    ctx.logins.append(("受托银行", "bank01", str(bank)))
